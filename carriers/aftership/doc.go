// Package aftership reads AfterShip's tracking webhook (CARRIERS.md §6)
// into the normalized carriers types.
//
// What shapes the package:
//
//   - AfterShip is an aggregator: Shipment.Carrier is the courier behind the
//     slug in wismo's names ("usps", "dhl" for "dhl-germany"), and
//     Shipment.Ref is AfterShip's tracking id, which tells a recycled
//     tracking number's two parcels apart.
//   - Codes are a tag (Exception) refined by a subtag (Exception_007).
//     mapping.go maps the subtag, falls back to its tag for a subtag it does
//     not know, and names the rule that decided ("aftership/Exception_007",
//     "aftership/Exception"). RawCode is the subtag (else the tag) and
//     RawSubcode the courier's own code, raw_tag.
//   - checkpoint_time is the checkpoint's local time, with or without an
//     offset. With one it is exact; without, it is resolved at the
//     checkpoint's place and marked TZKnown=false.
//   - Pending means "nothing yet"; a Pending checkpoint after real ones is
//     informational and must not move the parcel back.
//   - Deliveries are at least once: Parse is a pure function of the body, so
//     a retry gives the same Delivery (same event_id, same events).
//
// The wire types are exported so the demo simulator can emit webhooks of
// exactly the shape Parse reads.
package aftership
