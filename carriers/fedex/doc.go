// Package fedex reads FedEx's Track API v1 (POST /track/v1/trackingnumbers,
// CARRIERS.md §3) into the normalized carriers types.
//
// Five things about FedEx shape this package:
//
//   - Batches with answers inside a 200. One request carries up to 30
//     numbers; a number FedEx does not know comes back as an error object
//     inside its own trackResult (TRACKING.TRACKINGNUMBER.NOTFOUND), not as
//     an HTTP status. Client.Track turns each into that number's
//     carriers.Result, so one unknown number never fails the batch.
//   - Several shipments per number. A recycled number returns several
//     trackResults told apart by trackingNumberUniqueId, which becomes
//     Shipment.Ref; all of them are kept.
//   - eventType, not derivedStatusCode. The derived code files "on vehicle
//     for delivery" and "ready for pickup" under IT, so mapping.go maps the
//     eventType, refined by exceptionCode, description or delayDetail,
//     through an ordered table of rules with stable ids stored on each event.
//     RawCode is the eventType and RawSubcode the exceptionCode.
//     ETA and appointment updates (AO, AE, the CDO codes) are informational:
//     status unknown, so they never move a parcel.
//   - Timestamps. Offsets are usually present and differ between scans of
//     one parcel as it crosses zones, so every time is compared as an
//     instant. Some scans (pickups, mostly) carry only a naive midnight
//     ("2024-08-15T00:00:00"): FedEx knows the day, not the time. See
//     resolveNaive for where such a scan is placed.
//   - OAuth 2.0 client credentials, sent in the token request's form body,
//     with a token cached and refreshed by carriers.OAuth.
//
// The wire types are exported so the demo carrier simulator can emit
// responses of exactly the shape Parse reads.
package fedex
