package aftership

import (
	"strings"
	"testing"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/carriers/carrierstest"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		tag, subtag string
		want        carriers.Status
		reason      carriers.Reason
		rule        string
	}{
		{"Pending", "Pending_001", carriers.StatusPending, "", "aftership/Pending"},
		{"InfoReceived", "InfoReceived_001", carriers.StatusInfoReceived, "", "aftership/InfoReceived"},
		{"InTransit", "InTransit_003", carriers.StatusInTransit, "", "aftership/InTransit"},
		{"InTransit", "InTransit_006", carriers.StatusInTransit, "", "aftership/InTransit_006"},
		{"InTransit", "InTransit_008", carriers.StatusInTransit, "", "aftership/InTransit_008"},
		{"OutForDelivery", "OutForDelivery_001", carriers.StatusOutForDelivery, "", "aftership/OutForDelivery"},
		{"OutForDelivery", "OutForDelivery_002", carriers.StatusAvailableForPickup, "", "aftership/OutForDelivery_002"},
		{"AvailableForPickup", "AvailableForPickup_001", carriers.StatusAvailableForPickup, "", "aftership/AvailableForPickup"},
		{"AttemptFail", "AttemptFail_001", carriers.StatusAttemptFailed, "", "aftership/AttemptFail"},
		{"AttemptFail", "AttemptFail_002", carriers.StatusAttemptFailed, carriers.ReasonOther, "aftership/AttemptFail_002"},
		{"AttemptFail", "AttemptFail_003", carriers.StatusAttemptFailed, carriers.ReasonOther, "aftership/AttemptFail_003"},
		{"Delivered", "Delivered_002", carriers.StatusDelivered, "", "aftership/Delivered"},
		{"Exception", "Exception_001", carriers.StatusException, carriers.ReasonOther, "aftership/Exception_001"},
		{"Exception", "Exception_002", carriers.StatusException, carriers.ReasonAddressIssue, "aftership/Exception_002"},
		{"Exception", "Exception_003", carriers.StatusException, carriers.ReasonRefused, "aftership/Exception_003"},
		{"Exception", "Exception_004", carriers.StatusException, carriers.ReasonCustomsHold, "aftership/Exception_004"},
		{"Exception", "Exception_005", carriers.StatusException, carriers.ReasonDelayed, "aftership/Exception_005"},
		{"Exception", "Exception_006", carriers.StatusException, carriers.ReasonCustomsHold, "aftership/Exception_006"},
		{"Exception", "Exception_007", carriers.StatusException, carriers.ReasonAddressIssue, "aftership/Exception_007"},
		{"Exception", "Exception_008", carriers.StatusException, carriers.ReasonOther, "aftership/Exception_008"},
		{"Exception", "Exception_009", carriers.StatusException, carriers.ReasonOther, "aftership/Exception_009"},
		{"Exception", "Exception_010", carriers.StatusReturning, "", "aftership/Exception_010"},
		{"Exception", "Exception_011", carriers.StatusReturned, "", "aftership/Exception_011"},
		{"Exception", "Exception_012", carriers.StatusException, carriers.ReasonDamaged, "aftership/Exception_012"},
		{"Exception", "Exception_013", carriers.StatusException, carriers.ReasonLost, "aftership/Exception_013"},
		{"Expired", "Expired_001", carriers.StatusExpired, "", "aftership/Expired"},
		// A subtag not in the table takes its tag's row.
		{"Exception", "Exception_099", carriers.StatusException, carriers.ReasonOther, "aftership/Exception"},
		{"", "Exception_099", carriers.StatusException, carriers.ReasonOther, "aftership/Exception"},
		{"Delivered", "", carriers.StatusDelivered, "", "aftership/Delivered"},
		{" intransit ", "", carriers.StatusInTransit, "", "aftership/InTransit"},
		{"Lingering", "Lingering_001", carriers.StatusUnknown, "", "aftership/unrecognized-code"},
		{"", "", carriers.StatusUnknown, "", "aftership/unrecognized-code"},
	}
	for _, tt := range tests {
		t.Run(tt.tag+"/"+tt.subtag, func(t *testing.T) {
			r := classify(tt.tag, tt.subtag)
			if r.status != tt.want || r.reason != tt.reason || r.id() != tt.rule {
				t.Errorf("got %s/%q by %s, want %s/%q by %s", r.status, r.reason, r.id(), tt.want, tt.reason, tt.rule)
			}
			if r.unmapped != (tt.rule == "aftership/unrecognized-code") {
				t.Errorf("unmapped = %v: only an unknown tag is unmapped", r.unmapped)
			}
		})
	}
}

// TestRuleIDsUnique guards the rule ids: they are stored with events, so
// two rules sharing one would make the agent's explanation ambiguous.
func TestRuleIDsUnique(t *testing.T) {
	seen := map[string]bool{unrecognized.id(): true, pendingAfterData.id(): true}
	for _, r := range rules {
		if seen[r.id()] || r.status == "" || r.unmapped || strings.ContainsAny(r.code, " /") {
			t.Errorf("rule %+v: duplicate id, empty status, unmapped or odd code", r)
		}
		seen[r.id()] = true
	}
}

// TestPendingOnlyBeforeData: Pending is a status while nothing else is
// known and informational afterwards, whatever order AfterShip sent.
func TestPendingOnlyBeforeData(t *testing.T) {
	msg := Tracking{TrackingNumber: "N1", Checkpoints: []Checkpoint{
		{CheckpointTime: "2024-06-10T09:00:00Z", Tag: "Pending", Subtag: "Pending_002"},
		{CheckpointTime: "2024-06-08T09:00:00Z", Tag: "Pending"},
		{CheckpointTime: "2024-06-09T09:00:00Z", Tag: "InTransit"},
	}}
	events := deliver(t, update(t, msg)).Events
	got := []carriers.Status{events[0].Status, events[1].Status, events[2].Status}
	want := []carriers.Status{carriers.StatusPending, carriers.StatusInTransit, carriers.StatusUnknown}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("statuses = %v, want %v", got, want)
		}
	}
	if events[2].Rule != "aftership/Pending+after-data" || events[2].Unmapped {
		t.Errorf("late Pending = %s unmapped=%v, want the after-data rule, mapped", events[2].Rule, events[2].Unmapped)
	}
}

func TestExpiry(t *testing.T) {
	cp := []Checkpoint{{CheckpointTime: "2024-03-28T10:41:00Z", Tag: "InTransit"}}
	tests := []struct {
		name   string
		msg    Tracking
		ts     int64
		events int
		last   string
	}{
		{"dated by updated_at", Tracking{Tag: "Expired", UpdatedAt: "2024-05-01T10:20:00Z", Checkpoints: cp}, 1714600000, 2, "2024-05-01T10:20:00Z"},
		{"dated by ts", Tracking{Tag: "Expired", Subtag: "Expired_001", Checkpoints: cp}, 1714600000, 2, "2024-05-01T21:46:40Z"},
		{"no date at all", Tracking{Tag: "Expired", Checkpoints: cp}, 0, 1, ""},
		{"a checkpoint says so", Tracking{Tag: "Expired", UpdatedAt: "2024-05-01T10:20:00Z",
			Checkpoints: append(cp, Checkpoint{CheckpointTime: "2024-04-28T00:00:00Z", Tag: "Expired"})}, 1714600000, 2, "2024-04-28T00:00:00Z"},
		{"not expired", Tracking{Tag: "InTransit", UpdatedAt: "2024-05-01T10:20:00Z", Checkpoints: cp}, 1714600000, 1, ""},
	}
	for _, tt := range tests {
		tt.msg.TrackingNumber = "N1"
		body := carrierstest.Marshal(t, Payload{Event: "tracking_update", EventID: "e", TS: tt.ts, Msg: tt.msg})
		events := deliver(t, body).Events
		if len(events) != tt.events {
			t.Errorf("%s: %d events, want %d", tt.name, len(events), tt.events)
			continue
		}
		if last := events[len(events)-1]; tt.last != "" && (last.Status != carriers.StatusExpired || last.LocalTime != tt.last) {
			t.Errorf("%s: last event = %s at %q, want expired at %q", tt.name, last.Status, last.LocalTime, tt.last)
		}
	}
}
