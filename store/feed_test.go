package store

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestDeliveriesAreRememberedThenForgotten(t *testing.T) {
	s := openTemp(t)
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	err := s.Update(func(tx *Tx) error {
		for i := range 5 {
			if err := tx.MarkDelivery("easypost", fmt.Sprintf("evt_%d", i), t0.Add(time.Duration(i)*time.Hour)); err != nil {
				return err
			}
		}
		// The same id at another provider is another delivery.
		if tx.SeenDelivery("aftership", "evt_0") || !tx.SeenDelivery("easypost", "evt_0") {
			t.Error("delivery ids must be kept per provider")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][2]string{{"", "x"}, {"easypost", ""}, {"ea\x00sy", "x"}} {
		if err := s.Update(func(tx *Tx) error { return tx.MarkDelivery(bad[0], bad[1], t0) }); err == nil {
			t.Errorf("MarkDelivery(%q, %q): want an error", bad[0], bad[1])
		}
	}
	var dropped int
	err = s.Update(func(tx *Tx) error {
		dropped, err = tx.ForgetDeliveries(t0.Add(3*time.Hour), 2)
		return err
	})
	if err != nil || dropped != 2 {
		t.Fatalf("ForgetDeliveries = %d, %v; want the 2 allowed", dropped, err)
	}
	s.View(func(tx *Tx) error {
		for i, want := range []bool{false, false, true, true, true} {
			if got := tx.SeenDelivery("easypost", fmt.Sprintf("evt_%d", i)); got != want {
				t.Errorf("evt_%d seen = %v, want %v", i, got, want)
			}
		}
		return nil
	})
}

func TestQuarantineKeepsTheNewest(t *testing.T) {
	s := openTemp(t)
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := range quarantineKeep + 3 {
		q := Quarantined{Provider: "aftership", At: t0.Add(time.Duration(i) * time.Second),
			Reason: "malformed", Body: []byte(fmt.Sprintf("body %d", i))}
		if err := s.Update(func(tx *Tx) error { return tx.Quarantine(q) }); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Quarantined(1000)
	if err != nil || len(all) != quarantineKeep {
		t.Fatalf("Quarantined = %d, %v; want %d kept", len(all), err, quarantineKeep)
	}
	if string(all[0].Body) != fmt.Sprintf("body %d", quarantineKeep+2) || string(all[len(all)-1].Body) != "body 3" {
		t.Errorf("kept %q … %q, want the newest first and the three oldest dropped", all[0].Body, all[len(all)-1].Body)
	}
}

func TestUnmappedCodesAreCounted(t *testing.T) {
	s := openTemp(t)
	err := s.Update(func(tx *Tx) error {
		for _, c := range [][2]string{{"ups", "ZZ"}, {"fedex", "Q1"}, {"ups", "ZZ"}, {"ups", "ZZ"}, {"fedex", "Q1"}, {"usps", "99"}} {
			if err := tx.CountUnmapped(c[0], c[1]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.UnmappedCodes()
	want := []CodeCount{{"ups", "ZZ", 3}, {"fedex", "Q1", 2}, {"usps", "99", 1}}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("UnmappedCodes = %v, %v; want %v", got, err, want)
	}
}

// Ids and codes from outside are bounded before they become keys: bbolt
// refuses keys over 32 KiB, and junk must not grow the index.
func TestOutsideKeysAreBounded(t *testing.T) {
	s := openTemp(t)
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	long := strings.Repeat("é", 40_000)
	err := s.Update(func(tx *Tx) error {
		if !tx.OldestDelivery().IsZero() {
			t.Error("an empty store has an oldest delivery")
		}
		if err := tx.MarkDelivery("aftership", long, t0); err != nil {
			return err
		}
		if !tx.SeenDelivery("aftership", long) || tx.SeenDelivery("aftership", long[:len(long)-2]) {
			t.Error("a long id must be recognised, and only itself")
		}
		if got := tx.OldestDelivery(); !got.Equal(t0) {
			t.Errorf("OldestDelivery = %v, want %v", got, t0)
		}
		return tx.CountUnmapped("dhl", long)
	})
	if err != nil {
		t.Fatal(err)
	}
	codes, _ := s.UnmappedCodes()
	if len(codes) != 1 || len(codes[0].Code) > maxCodeLen || !utf8.ValidString(codes[0].Code) {
		t.Errorf("counted code %q, want it cut to %d bytes of valid UTF-8", codes[0].Code, maxCodeLen)
	}
}
