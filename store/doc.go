// Package store is wismo's bbolt schema: a hot file holding the orders
// agents still work on, their parcels with their tracking timelines, and
// the exceptions agents act on, with a secondary index bucket for every
// lookup a pane or the tracker makes, so no read ever scans a whole
// bucket; and archive files beside it (archivefiles.go) holding the orders
// finished long ago, each with its own search indexes.
//
// The store keeps its own normalized model (Status, Reason, Event); it
// knows no carrier's wire format, and imports nothing of this module:
// package tracker translates carriers' events at ingest and runs the
// business rules inside a write transaction through Tx. Readers such as the
// UI use the Store's query methods, each one short read transaction, and
// learn about writes through Subscribe. Writes go through the store's one
// writer (Submit, Write), which commits whatever is queued in one
// transaction. Parcels are records in the protocol buffers wire format
// (record.go, timeline.go); other values are CBOR maps (codec.go).
//
// Key layout of the hot file (all integers and times big-endian, so byte
// order is the order the panes read):
//
//	orders          order number                          -> Order
//	parcels         parcel id (8)                         -> parcel record, timeline and all
//	exceptions      exception id (8)                      -> Exception
//	idx_order       folded order number \0 order number   -> hit value
//	idx_tracking    folded tracking number \0 parcel id    -> hit value
//	idx_search      key kind (1) | folded value \0 order  -> hit value
//	                (e email, p phone digits reversed, n name word, z postcode;
//	                a hit value is what a search hit shows: hitindex.go)
//	idx_placed      placed at (8) | order number          -> nil
//	idx_due         next poll (8) | parcel id (8)         -> nil
//	idx_last_scan   carrier \0 watched since (8) | parcel id (8) -> nil
//	idx_unscanned   label made (8) | parcel id (8)        -> nil
//	idx_late        promise ends (8) | parcel id (8)      -> nil
//	                (the time rules' watches: stalled, never scanned and
//	                late; see watch.go)
//	idx_exc         filter mask (1) | filtered values \0… |
//	                255-severity (1) | opened (8) | id (8)  -> nil
//	                (masks with the state only; see indexedMask)
//	idx_parcel_exc  parcel id (8) | exception id (8)      -> nil
//	idx_snooze      snooze end (8) | exception id (8)     -> nil
//	idx_audit       'p' | parcel id (8) | audit key       -> nil
//	                'o' | order number \0 | audit key     -> nil
//	audit           time (8) | sequence (8)               -> AuditEntry
//	returns         RMA                                   -> Return
//	notifications   notification id (8)                   -> Notification
//	                (with idx_notify_key, idx_notify_due, idx_notify_order)
//	deliveries      provider \0 delivery id               -> applied at
//	                (with idx_delivery_at; quarantine keeps refused bodies)
//	feed_pauses     feed                                  -> FeedPause
//	stats           counter name                          -> uint64
//	                (exc:<idx_exc range prefix> counts that range;
//	                agent:<name> is the set of agents' names;
//	                day:YYYYMMDD:metric:value the supervisor's daily counts)
//	meta            "schema"                              -> uint32
//	                "open"              while a process has the store open
//	                "archive_from"      where the archive's sweep resumes
//	                "archive_move"      an archive move under way
//	                "archive_months"    the months with archive files
//	                and where an upgrade's chunked steps resume (upgrade.go)
//
// Opening the store reads no page it does not serve; Verify checks the
// file in the background (verify.go, pagecheck.go). The files are looked
// after by Check (bbolt's consistency check of a closed store and its
// archives), Compact (rewritten copies without free pages) and Snapshot (a
// consistent copy taken while the desk runs).
package store
