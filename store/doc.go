// Package store is wismo's bbolt schema: one file holding orders, parcels,
// their tracking events and the exceptions agents work on, with a secondary
// index bucket for every lookup a pane or the tracker makes, so no read ever
// scans a whole bucket.
//
// The store persists the normalized model defined by package carriers
// (statuses, reasons, events); it knows no carrier's wire format. Business
// rules (which event opens which exception, when to poll) belong to package
// tracker, which runs them inside a write transaction through Tx. Readers such
// as the UI use the Store's query methods, each one short read transaction,
// and learn about writes through Subscribe. Ingest writes go through the
// store's one writer (Submit, Write), which commits whatever is queued in
// one transaction; values are CBOR maps (codec.go).
//
// Key layout (all integers and times big-endian, so byte order is the order
// the panes read):
//
//	orders          order number                          -> Order
//	parcels         parcel id (8)                         -> Parcel
//	events          parcel id (8) | time (8) | print (8)  -> Event
//	exceptions      exception id (8)                      -> Exception
//	archive         order number                          -> archived order:
//	                the order, its parcels, their events and exceptions
//	idx_order       folded order number \0 order number   -> nil
//	                (an archived order keeps its entry)
//	idx_tracking    folded tracking number \0 parcel id    -> nil
//	idx_search      key kind (1) | folded value \0 order  -> nil
//	                (e email, p phone digits reversed, n name word, z postcode)
//	idx_placed      placed at (8) | order number          -> nil
//	idx_due         next poll (8) | parcel id (8)         -> nil
//	idx_last_scan   carrier \0 silent since (8) | parcel id (8) -> nil
//	idx_unscanned   label made (8) | parcel id (8)        -> nil
//	idx_late        promise ends (8) | parcel id (8)      -> nil
//	                (the time rules' watches: stalled, never scanned and
//	                late; see watch.go)
//	idx_exc         filter mask (1) | filtered values \0… |
//	                255-severity (1) | opened (8) | id (8)  -> nil
//	idx_parcel_exc  parcel id (8) | exception id (8)      -> nil
//	idx_archived    parcel id (8)                         -> order number
//	idx_snooze      snooze end (8) | exception id (8)     -> nil
//	idx_audit       'p' | parcel id (8) | audit key       -> nil
//	                'o' | order number \0 | audit key     -> nil
//	audit           time (8) | sequence (8)               -> AuditEntry
//	stats           counter name                          -> uint64
//	                (exc:<idx_exc range prefix> counts that range;
//	                agent:<name> is the set of agents' names)
//	meta            "schema"                              -> uint32
//	                "archive_from"                        -> idx_placed key
//
// A parcel's events share its id as key prefix, and an event's fingerprint
// ends its key, so deduplicating a poll reads one run of keys and adding to
// a timeline touches one leaf page.
//
// Orders finished long ago leave the hot buckets for the archive (see
// archive.go), keeping the indexes the panes scan small. The file itself is
// looked after by Check (bbolt's consistency check), Compact (a rewritten
// copy without free pages) and Snapshot (a consistent copy taken while the
// desk runs).
package store
