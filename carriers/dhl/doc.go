// Package dhl reads DHL's Shipment Tracking – Unified API
// (GET /track/shipments, CARRIERS.md §1) into the normalized carriers types.
//
// Three things about DHL shape this package:
//
//   - Five coarse status codes. Whether "transit" means out for delivery or
//     waiting in a parcel shop is only in the text, so mapping.go is an
//     ordered table of (code, text needles, result, rule id); the rule id is
//     stored on each event so an agent can see why it got its status.
//   - Naive timestamps. Events usually carry local wall time with no zone.
//     Parse resolves them in a zone guessed from the event's country, then
//     the shipment's destination and origin, then the business unit's home,
//     else UTC, and always marks them TZKnown=false.
//   - Loose types. ids arrive as strings or numbers and details.references
//     as an array or an object; wire.go accepts both.
//
// The wire types are exported so the demo carrier simulator can emit
// responses of exactly the shape Parse reads.
package dhl
