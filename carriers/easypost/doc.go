// Package easypost reads EasyPost's Tracker object (polled with
// POST /v2/trackers) and its tracker.updated / tracker.created webhook Event
// (CARRIERS.md §5) into the normalized carriers types.
//
// EasyPost is an aggregator, which shapes the package:
//
//   - The parcel belongs to the underlying carrier. Shipment.Carrier is that
//     carrier in wismo's names ("FedExDefault" becomes "fedex"), and
//     Shipment.Ref is the tracker id, because EasyPost recycles tracking
//     codes: two trackers may share one code.
//   - Two codes per event. status is coarse and status_detail refines it
//     (and is itself coarse: a FedEx pickup arrives as arrived_at_facility),
//     so mapping.go is an ordered table on the pair with a stable rule id.
//     RawCode keeps status and RawSubcode status_detail.
//   - Times are UTC with Z in practice, but EasyPost documents local times
//     with an offset when it knows the place; both are exact. A naive time,
//     should one arrive, is resolved at the event's place with TZKnown=false.
//   - Webhooks are at least once. Parse is a pure function of the body, so a
//     retried Event gives the same Delivery (same ID, same events) and the
//     receiver's dedupe does the rest.
//
// The wire types are exported so the demo simulator can emit trackers and
// events of exactly the shape Parse reads.
package easypost
