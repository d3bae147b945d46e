package tracker

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/intake"
	"github.com/wismo/wismo/tracker/notify"
)

// notifying is a tracker that tells customers by email and SMS with the
// shipped templates, over an order from a German customer.
func notifying(t *testing.T) (*store.Store, *Tracker, store.ParcelID) {
	t.Helper()
	st := openStore(t)
	id := addParcel(t, st, "JJD1", t0)
	err := st.Update(func(tx *store.Tx) error {
		o, err := tx.Order("#JJD1")
		if err != nil {
			return err
		}
		o.Customer = store.Customer{Name: "Anna Müller", Email: "anna@example.com", Phone: "+49 170 123-4567", Locale: "de-DE"}
		o.ShipTo = store.Address{City: "Berlin", Country: "DE"}
		o.Lines = []store.Line{{SKU: "MUG", Title: "Becher", Qty: 2}}
		return tx.PutOrder(o)
	})
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := notify.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := newTracker(st, newClock(t0.Add(72*time.Hour)))
	tr.Notify(Notifier{Templates: tpl, Shop: "Tee & Becher", Channels: []notify.Channel{notify.Email, notify.SMS}})
	return st, tr, id
}

func queued(t *testing.T, st *store.Store, order string) []string {
	t.Helper()
	ns, err := st.OrderNotifications(order)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range ns {
		out = append(out, n.Trigger+"/"+n.Channel)
	}
	slices.Sort(out)
	return out
}

func scanAt(at time.Duration, s carriers.Status) carriers.Event {
	return carriers.Event{Time: t0.Add(at), LocalTime: t0.Add(at).Format(time.RFC3339), RawCode: string(s),
		RawText: "scan " + string(s), Status: s, Rule: "test/" + string(s)}
}

func TestEachTransitionNotifiesOnce(t *testing.T) {
	st, tr, id := notifying(t)
	moving := scanAt(time.Hour, carriers.StatusInTransit)
	ingest(t, tr, id, []carriers.Event{moving}, []carriers.Event{moving, scanAt(2*time.Hour, carriers.StatusInTransit)})
	if got := queued(t, st, "#JJD1"); fmt.Sprint(got) != "[shipped/email shipped/sms]" {
		t.Fatalf("after two transit scans: %v, want shipped once per channel", got)
	}
	ingest(t, tr, id, []carriers.Event{scanAt(20*time.Hour, carriers.StatusOutForDelivery)},
		[]carriers.Event{scanAt(24*time.Hour, carriers.StatusDelivered)},
		[]carriers.Event{scanAt(24*time.Hour, carriers.StatusDelivered)})
	want := "[delivered/email delivered/sms out_for_delivery/email out_for_delivery/sms shipped/email shipped/sms]"
	if got := queued(t, st, "#JJD1"); fmt.Sprint(got) != want {
		t.Errorf("notifications %v, want %v", got, want)
	}
	ns, _ := st.OrderNotifications("#JJD1")
	for _, n := range ns {
		if !n.Automatic || n.State != store.NotifyQueued || n.Locale != "de-DE" {
			t.Errorf("%s/%s: %+v", n.Trigger, n.Channel, n)
		}
		if n.Channel == "sms" && n.To != "+491701234567" {
			t.Errorf("SMS to %q, want the phone in E.164", n.To)
		}
		if n.Channel == "email" && (n.To != "anna@example.com" || !strings.Contains(n.Text, "JJD1") || n.HTML == "") {
			t.Errorf("email %q to %s: want the tracking number and an HTML part", n.Subject, n.To)
		}
	}
}

func TestASlippedETANotifiesADelay(t *testing.T) {
	st, tr, id := notifying(t)
	err := st.Update(func(tx *store.Tx) error {
		p, err := tx.Parcel(id)
		if err != nil {
			return err
		}
		p.PromisedBy = t0.Add(48 * time.Hour)
		return tx.PutParcel(p)
	})
	if err != nil {
		t.Fatal(err)
	}
	apply := func(eta time.Time, events ...carriers.Event) {
		err := st.Update(func(tx *store.Tx) error {
			return tr.apply(tx, pollResult{parcel: id, news: newsOf(carriers.Shipment{Events: events, EstimatedDelivery: eta})}, tr.now())
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	apply(t0.Add(60*time.Hour), scanAt(time.Hour, carriers.StatusInTransit))
	apply(t0.Add(100*time.Hour), scanAt(time.Hour, carriers.StatusInTransit))
	apply(t0.Add(120*time.Hour), scanAt(time.Hour, carriers.StatusInTransit))
	if got := queued(t, st, "#JJD1"); fmt.Sprint(got) != "[delay/email delay/sms shipped/email shipped/sms]" {
		t.Errorf("notifications %v, want one delay when the ETA slipped past a day late", got)
	}
}

func TestReturnNewsNotifies(t *testing.T) {
	st, tr, _ := notifying(t)
	r := intake.Return{RMA: "RMA-9", Order: "#JJD1", State: store.ReturnReceived, Lines: []store.Line{{Title: "Becher", Qty: 1}}}
	for range 2 {
		if err := st.Update(func(tx *store.Tx) error { return tr.ImportReturn(tx, r, t0) }); err != nil {
			t.Fatal(err)
		}
	}
	r.State, r.Refund, r.Currency = store.ReturnRefunded, 1250, "EUR"
	if err := st.Update(func(tx *store.Tx) error { return tr.ImportReturn(tx, r, t0) }); err != nil {
		t.Fatal(err)
	}
	want := "[refund_issued/email refund_issued/sms return_received/email return_received/sms]"
	if got := queued(t, st, "#JJD1"); fmt.Sprint(got) != want {
		t.Errorf("notifications %v, want %v", got, want)
	}
}
