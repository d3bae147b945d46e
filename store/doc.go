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
// and learn about writes through Subscribe.
//
// Key layout (all integers and times big-endian, so byte order is the order
// the panes read):
//
//	orders          order number                         -> Order
//	parcels         parcel id (8)                        -> Parcel
//	events          parcel id (8) | time (8) | print (8) -> Event
//	event_prints    parcel id (8) | print (8)            -> time (8)  (dedupe)
//	exceptions      exception id (8)                     -> Exception
//	idx_order       folded order number \0 order number  -> nil
//	idx_tracking    folded tracking number \0 parcel id  -> nil
//	idx_due         next poll (8) | parcel id (8)        -> nil
//	idx_last_scan   last event (8) | parcel id (8)       -> nil  (stall watch)
//	idx_open_exc    255-severity (1) | opened (8) | id (8) -> nil
//	stats           counter name                         -> uint64
//	meta            "schema"                             -> uint32
package store
