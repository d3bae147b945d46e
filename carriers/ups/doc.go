// Package ups reads the UPS Track API v1 (GET /api/track/v1/details/{n},
// CARRIERS.md §2) into the normalized carriers types.
//
// Four things about UPS shape this package:
//
//   - Three codes per activity. The activity type (I, D, X, M, U...), the
//     2-letter scan code (OT, MP, DP...) and the 3-digit status code ("021")
//     each say something, and a scan code means different things under
//     different types. mapping.go is an ordered rule table over all three,
//     status code first; each rule's id is stored on the event so an agent
//     can see why it got its status. Updates (type U, new delivery dates,
//     requests) are informational: they join the timeline as unknown and
//     never move the parcel's status. An event's RawCode is the most
//     specific code sent (the status code, else the scan code, else the
//     type) and its RawSubcode the type and scan code as "I/OT".
//   - Two clocks per activity. date/time are local wall time; gmtDate,
//     gmtTime and gmtOffset give the instant, but gmtTime comes as
//     "HHMMSS", "HMMSS" or "HH:MM:SS" and gmtDate may be the next day.
//     times.go prefers the gmt fields and falls back to the wall time in the
//     scan location's zone, marked TZKnown=false.
//   - Not found is not an error status. An unknown number comes back as a
//     200 with a TW0001 warning and no packages; one inquiry number may
//     also return several packages, each a Shipment of its own.
//   - OAuth client credentials sent as HTTP Basic, plus transId and
//     transactionSrc headers on every request. A failed token fetch becomes
//     a *carriers.HTTPError that never carries the secret.
//
// The wire types are exported so the demo carrier simulator can emit
// responses of exactly the shape Parse reads.
package ups
