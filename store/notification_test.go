package store

import (
	"errors"
	"testing"
	"time"
)

func TestOutboxQueuesOnceAndTracksProgress(t *testing.T) {
	s := openTemp(t)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	auto := func(key string, at time.Time) *Notification {
		return &Notification{Order: "1001", Parcel: 7, Trigger: "shipped", Channel: "email", To: "a@example.com",
			Text: "Your parcel is on its way", Key: key, Automatic: true, QueuedAt: t0, NextAt: at}
	}
	var first, later *Notification
	err := s.Update(func(tx *Tx) error {
		first, later = auto("7|shipped", t0), auto("7|delivered", t0.Add(time.Hour))
		if err := tx.Enqueue(later); err != nil {
			return err
		}
		if err := tx.Enqueue(first); err != nil {
			return err
		}
		if err := tx.Enqueue(auto("7|shipped", t0)); !errors.Is(err, ErrDuplicate) {
			t.Errorf("second shipped notification for one parcel: %v, want ErrDuplicate", err)
		}
		return tx.Enqueue(&Notification{Order: "1001", Channel: "sms"})
	})
	if err == nil {
		t.Fatal("a notification without a recipient was queued")
	}
	err = s.Update(func(tx *Tx) error {
		first, later = auto("7|shipped", t0), auto("7|delivered", t0.Add(time.Hour))
		if err := tx.Enqueue(later); err != nil {
			return err
		}
		return tx.Enqueue(first)
	})
	if err != nil {
		t.Fatal(err)
	}
	due := func(at time.Time) (ids []NotificationID) {
		s.View(func(tx *Tx) error {
			ns, err := tx.NotificationsDue(at, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range ns {
				ids = append(ids, n.ID)
			}
			return nil
		})
		return ids
	}
	if got := due(t0); len(got) != 1 || got[0] != first.ID {
		t.Errorf("due at t0: %v, want only %d", got, first.ID)
	}
	if got := due(t0.Add(2 * time.Hour)); len(got) != 2 || got[0] != first.ID {
		t.Errorf("due later: %v, want %d then %d", got, first.ID, later.ID)
	}
	sent := *first
	sent.State, sent.ProviderID, sent.SentAt = NotifySent, "<1@shop.example>", t0.Add(time.Minute)
	if err := s.Update(func(tx *Tx) error { return tx.PutNotification(sent) }); err != nil {
		t.Fatal(err)
	}
	if got := due(t0.Add(2 * time.Hour)); len(got) != 1 || got[0] != later.ID {
		t.Errorf("due after one was sent: %v, want %d alone", got, later.ID)
	}
	log, err := s.OrderNotifications("1001")
	if err != nil || len(log) != 2 || log[0].ID != first.ID || log[0].State != NotifySent {
		t.Errorf("order's notifications = %+v, %v; want newest first, the sent one marked", log, err)
	}
	if recent, _ := s.RecentNotifications(1); len(recent) != 1 || recent[0].ID != first.ID {
		t.Errorf("recent = %+v", recent)
	}
}

func TestAuditIsAppendOnlyAndNamed(t *testing.T) {
	s := openTemp(t)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	err := s.Update(func(tx *Tx) error {
		if err := tx.Audit(AuditEntry{At: t0, Action: "resend"}); err == nil {
			t.Error("an entry without an agent was written")
		}
		for i, target := range []string{"order 1001", "order 1002", "order 1001"} {
			if err := tx.Audit(AuditEntry{At: t0.Add(time.Duration(i) * time.Minute), Agent: "ana", Action: "resend", Target: target}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	trail, err := s.AuditTrail("order 1001", 10)
	if err != nil || len(trail) != 2 || !trail[0].At.After(trail[1].At) {
		t.Errorf("trail = %+v, %v; want the two entries for order 1001, newest first", trail, err)
	}
}

// An agent's message goes before automatic ones due earlier.
func TestAgentsMessagesGoFirst(t *testing.T) {
	s := openTemp(t)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	var resend Notification
	err := s.Update(func(tx *Tx) error {
		for i := range 3 {
			n := Notification{Order: "1001", Trigger: "shipped", Channel: "email", To: "a@example.com", Automatic: true,
				QueuedAt: t0.Add(time.Duration(i) * time.Minute)}
			if err := tx.Enqueue(&n); err != nil {
				return err
			}
		}
		resend = Notification{Order: "1001", Trigger: "shipped", Channel: "email", To: "a@example.com", QueuedAt: t0.Add(time.Hour)}
		return tx.Enqueue(&resend)
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error {
		due, err := tx.NotificationsDue(t0.Add(2*time.Hour), 2)
		if err != nil || len(due) != 2 || due[0].ID != resend.ID || !due[1].Automatic {
			t.Errorf("due = %+v, %v; want the resend first, then the oldest automatic one", due, err)
		}
		return nil
	})
}
