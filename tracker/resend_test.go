package tracker

import (
	"errors"
	"strings"
	"testing"

	"github.com/wismo/wismo/store"
	"github.com/wismo/wismo/tracker/notify"
)

func TestAgentResendIsQueuedAuditedAndGuarded(t *testing.T) {
	st, tr, id := notifying(t)
	r := Resend{Order: "#JJD1", Parcel: id, Trigger: notify.Shipped, Channel: notify.Email, To: "anna.m@example.com", Agent: "ana"}
	n, err := tr.Resend(r)
	if err != nil {
		t.Fatal(err)
	}
	if n.State != store.NotifyQueued || n.Automatic || n.RequestedBy != "ana" || !strings.Contains(n.Text, "JJD1") {
		t.Errorf("resent notification = %+v", n)
	}
	if _, err := tr.Resend(r); !errors.Is(err, ErrRecentlySent) {
		t.Errorf("the same resend a moment later: %v, want ErrRecentlySent", err)
	}
	r.Confirmed = true
	if _, err := tr.Resend(r); err != nil {
		t.Errorf("confirmed: %v", err)
	}
	other := r
	other.Confirmed, other.Channel, other.To = false, notify.SMS, "+491701234567"
	if _, err := tr.Resend(other); err != nil {
		t.Errorf("the same message by another channel: %v", err)
	}
	trail, err := st.AuditTrail("order #JJD1", 10)
	if err != nil || len(trail) != 3 || trail[0].Agent != "ana" || trail[0].Action != "resend" {
		t.Errorf("audit = %+v, %v; want three resends by ana", trail, err)
	}
}

func TestResendRefusesBadRecipients(t *testing.T) {
	_, tr, id := notifying(t)
	for _, r := range []Resend{
		{Order: "#JJD1", Parcel: id, Trigger: notify.Shipped, Channel: notify.Email, To: "anna@", Agent: "ana"},
		{Order: "#JJD1", Parcel: id, Trigger: notify.Shipped, Channel: notify.SMS, To: "0170 1234567", Agent: "ana"},
		{Order: "#JJD1", Parcel: id, Trigger: notify.Shipped, Channel: "fax", To: "x", Agent: "ana"},
		{Order: "#NOPE", Trigger: notify.Shipped, Channel: notify.Email, To: "a@example.com", Agent: "ana"},
	} {
		if _, err := tr.Resend(r); err == nil {
			t.Errorf("%+v was queued", r)
		}
	}
}
