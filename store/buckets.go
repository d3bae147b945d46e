package store

// SchemaVersion is the layout this build writes. A store written by a newer
// build is refused rather than risk misreading it.
const SchemaVersion = 1

// Bucket names: the one registry of every bucket in the file.
var (
	bucketMeta        = []byte("meta")
	bucketOrders      = []byte("orders")
	bucketParcels     = []byte("parcels")
	bucketEvents      = []byte("events")
	bucketEventPrints = []byte("event_prints")
	bucketExceptions  = []byte("exceptions")
	bucketIdxOrder    = []byte("idx_order")
	bucketIdxTracking = []byte("idx_tracking")
	bucketIdxDue      = []byte("idx_due")
	bucketIdxLastScan = []byte("idx_last_scan")
	bucketIdxOpenExc  = []byte("idx_open_exc")
	bucketStats       = []byte("stats")
)

// allBuckets lists every bucket Open creates, in one transaction.
var allBuckets = [][]byte{
	bucketMeta, bucketOrders, bucketParcels, bucketEvents, bucketEventPrints, bucketExceptions,
	bucketIdxOrder, bucketIdxTracking, bucketIdxDue, bucketIdxLastScan,
	bucketIdxOpenExc, bucketStats,
}

// keySchema holds the schema version in the meta bucket.
var keySchema = []byte("schema")
