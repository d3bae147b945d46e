// Package usps reads the USPS Tracking API v3
// (GET /tracking/v3/tracking/{number}?expand=DETAIL, CARRIERS.md §4) into
// the normalized carriers types. The retired Web Tools XML API is not
// supported.
//
// Four things about USPS shape this package:
//
//   - Two clocks per scan. eventTimestamp is naive local wall time cut to
//     the minute; GMTTimestamp is the same scan in UTC with seconds. Parse
//     prefers GMTTimestamp, else eventTimestamp at GMTOffset, else
//     eventTimestamp in the zone of the event's (or the destination's) US
//     state with TZKnown=false. The two are never compared: they differ by
//     the lost seconds on every real scan. LocalTime keeps eventTimestamp.
//   - Pub 199 event codes. The two-character eventCode carries the
//     meaning ("01" delivered, "OF" out for delivery; the leading zero is
//     part of the code), so mapping.go is one row a code with a stable rule
//     id stored on each event. DX ("Delivery status not updated") is
//     informational and never moves a parcel; a code in no row is kept as
//     unknown and marked Unmapped.
//   - Loose encoding. GMTOffset arrives as "-05:00", "-7:00" or minutes
//     (-420, number or string); booleans arrive as strings; mailClass holds
//     HTML ("<SUP>&#153;</SUP>"); text has trailing spaces; events come
//     newest first. wire.go and values.go read every shape.
//   - Re-used numbers and OAuth. USPS recycles tracking numbers and tells
//     the mail pieces apart by uniqueMailPieceId, which becomes
//     Shipment.Ref. Requests carry an OAuth client-credentials token (scope
//     "tracking", credentials in the form body) fetched once and shared.
//
// The wire types are exported so the demo carrier simulator can emit
// responses of exactly the shape Parse reads.
package usps
