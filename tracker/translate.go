package tracker

import (
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// news is what a carrier reported of one parcel, in the store's words. A
// poll's answer is translated where it arrives, in the poll's own
// goroutine, not in the store's writer, which every parcel's news waits
// for.
type news struct {
	ref, service string
	eta          time.Time
	events       []store.Event
}

// newsOf translates a carrier's shipment.
func newsOf(s carriers.Shipment) news {
	return news{ref: s.Ref, service: s.Service, eta: s.EstimatedDelivery, events: StoreEvents(s.Events)}
}

// StoreEvents translates a carrier's normalized events into the store's:
// the one place the carriers' vocabulary meets the one the desk keeps.
// The two spell every status and reason alike (TestStatusesTranslate).
func StoreEvents(events []carriers.Event) []store.Event {
	out := make([]store.Event, len(events))
	for i, e := range events {
		out[i] = store.Event{
			Time: e.Time, TZKnown: e.TZKnown, LocalTime: e.LocalTime,
			RawCode: e.RawCode, RawSubcode: e.RawSubcode, RawText: e.RawText,
			Status: store.Status(e.Status), Reason: store.Reason(e.Reason), Rule: e.Rule,
			Location: store.Location(e.Location), Unmapped: e.Unmapped,
		}
	}
	return out
}
