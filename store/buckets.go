package store

// SchemaVersion is the layout this build writes. A store written by a newer
// build is refused rather than risk misreading it; an older one is upgraded
// in place by the migrations in migrate.go.
const SchemaVersion = 9

// Bucket names: the one registry of every bucket in the file.
var (
	bucketMeta           = []byte("meta")
	bucketOrders         = []byte("orders")
	bucketParcels        = []byte("parcels")
	bucketExceptions     = []byte("exceptions")
	bucketIdxOrder       = []byte("idx_order")
	bucketIdxTracking    = []byte("idx_tracking")
	bucketIdxSearch      = []byte("idx_search")
	bucketIdxPlaced      = []byte("idx_placed")
	bucketIdxDue         = []byte("idx_due")
	bucketIdxLastScan    = []byte("idx_last_scan")
	bucketIdxExc         = []byte("idx_exc")
	bucketIdxParcelExc   = []byte("idx_parcel_exc")
	bucketStats          = []byte("stats")
	bucketDeliveries     = []byte("deliveries")
	bucketIdxDeliveryAt  = []byte("idx_delivery_at")
	bucketQuarantine     = []byte("quarantine")
	bucketNotifications  = []byte("notifications")
	bucketIdxNotifyKey   = []byte("idx_notify_key")
	bucketIdxNotifyDue   = []byte("idx_notify_due")
	bucketIdxNotifyOrder = []byte("idx_notify_order")
	bucketAudit          = []byte("audit")
	bucketReturns        = []byte("returns")
	bucketIdxSnooze      = []byte("idx_snooze")
	bucketIdxAudit       = []byte("idx_audit")
	bucketIdxUnscanned   = []byte("idx_unscanned")
	bucketIdxLate        = []byte("idx_late")
	bucketFeedPauses     = []byte("feed_pauses")
)

// appendFill is how full a split leaves the pages of the buckets whose
// keys mostly grow (order numbers as shops count them, exception ids,
// placing times, audit times): bbolt's default of half full suits keys
// that land anywhere, and leaves a bucket written in key order half empty.
// Parcels are not among them: their records grow as news comes, and a
// page left full splits at the next.
var appendFill = map[string]float64{
	string(bucketOrders): 0.9, string(bucketExceptions): 0.9,
	string(bucketIdxOrder): 0.9, string(bucketIdxPlaced): 0.9, string(bucketAudit): 0.9,
	string(bucketNotifications): 0.9,
}

// allBuckets lists every bucket Open creates, in one transaction.
var allBuckets = [][]byte{
	bucketMeta, bucketOrders, bucketParcels, bucketExceptions,
	bucketIdxOrder, bucketIdxTracking, bucketIdxSearch, bucketIdxPlaced, bucketIdxDue,
	bucketIdxLastScan, bucketIdxExc, bucketIdxParcelExc, bucketStats,
	bucketDeliveries, bucketIdxDeliveryAt, bucketQuarantine,
	bucketNotifications, bucketIdxNotifyKey, bucketIdxNotifyDue, bucketIdxNotifyOrder, bucketAudit,
	bucketReturns, bucketIdxSnooze, bucketIdxAudit, bucketIdxUnscanned, bucketIdxLate, bucketFeedPauses,
}

// Keys of the meta bucket: the schema version, where the archive's sweep
// of old orders resumes, and where the upgrade's chunked steps resume
// (see upgrade.go).
var (
	keySchema        = []byte("schema")
	keyArchiveFrom   = []byte("archive_from")
	keyRecordsFrom   = []byte("records_from")
	keyExcRangesFrom = []byte("exc_ranges_from")
	keyLegacyArchive = []byte("legacy_archive_from")
	keyHitValuesFrom = []byte("hit_values_from")
)
