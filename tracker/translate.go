package tracker

import (
	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

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
