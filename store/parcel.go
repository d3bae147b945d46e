package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"
)

// ParcelID is the store's own key for a parcel: compact and sortable, where
// a carrier's tracking number is neither.
type ParcelID uint64

// Direction says whether a parcel goes to the customer or comes back.
type Direction string

// The directions: to the customer, or back to the shop under a return.
const (
	Outbound Direction = "outbound"
	Inbound  Direction = "return"
)

// Parcel is one tracked shipment of an order.
type Parcel struct {
	ID             ParcelID `json:"id"`
	Carrier        string   `json:"carrier"`
	TrackingNumber string   `json:"tracking_number"`
	// Feed names the integration that tracks the parcel when it is not the
	// carrier's own API: an aggregator such as "easypost" or "aftership".
	// Empty means the carrier's feed.
	Feed string `json:"feed,omitempty"`
	// CarrierRef is the carrier's own id of the shipment this parcel
	// follows, once known, for tracking numbers that name several
	// shipments (a recycled number, a FedEx duplicate).
	CarrierRef string `json:"carrier_ref,omitempty"`
	// RMA is the return an inbound parcel carries back.
	RMA       string    `json:"rma,omitempty"`
	Order     string    `json:"order"`
	Service   string    `json:"service,omitempty"`
	Direction Direction `json:"direction"`
	Status    Status    `json:"status"`
	Reason    Reason    `json:"reason,omitempty"`
	// StatusText is the carrier's text for the event that set Status.
	StatusText string `json:"status_text,omitempty"`
	// StatusAt is when the event that set Status happened; later events
	// change the status, earlier ones arriving late do not.
	StatusAt   time.Time `json:"status_at"`
	PromisedBy time.Time `json:"promised_by"`
	// EstimatedDelivery is the carrier's current ETA and OriginalEstimate
	// the first one it gave, kept so a slipping date reads against it.
	// SlippedAt is when the tracker last saw the ETA move later.
	EstimatedDelivery time.Time `json:"estimated_delivery"`
	OriginalEstimate  time.Time `json:"original_estimate"`
	SlippedAt         time.Time `json:"slipped_at"`
	ShippedAt         time.Time `json:"shipped_at"`
	DeliveredAt       time.Time `json:"delivered_at"`
	LastEventAt       time.Time `json:"last_event_at"`
	LastPolledAt      time.Time `json:"last_polled_at"`
	// NextPollAt is when the tracker asks the carrier next; zero means never.
	NextPollAt   time.Time `json:"next_poll_at"`
	PollFailures int       `json:"poll_failures,omitempty"`
	LastError    string    `json:"last_error,omitempty"`
	// Exception is the parcel's open exception, 0 if none. The store keeps
	// it: OpenException and ResolveException set it, PutParcel keeps it.
	Exception ExceptionID `json:"exception,omitempty"`
	// ClearedAt is when an agent last resolved the parcel's exception:
	// derived rules do not fire again on the parcel until something newer
	// than it happens.
	ClearedAt time.Time `json:"cleared_at"`
	// CreatedAt is when the parcel was stored: for one the carrier has not
	// scanned yet, when its label was made as far as the desk knows.
	// CreateParcel sets it when the caller has not; it never changes.
	CreatedAt time.Time `json:"created_at"`
	// StallWatchAt is where the stall watch files the parcel (see
	// stallEntry), zero when it does not watch it. The store keeps it.
	StallWatchAt time.Time `json:"stall_watch_at"`
}

// Parcel reads one parcel.
func (t *Tx) Parcel(id ParcelID) (Parcel, error) {
	p, _, err := t.record(id)
	return p, err
}

// record reads a parcel and its encoded timeline. A write transaction
// keeps them for its rest, as it reads a parcel again to write it; a read
// transaction, which reads a parcel once (a page of rows, a poll round's
// due parcels), does not.
func (t *Tx) record(id ParcelID) (Parcel, []byte, error) {
	p, timeline, cached, err := t.readParcel(id)
	if err == nil && !cached && t.tx.Writable() {
		t.remember(p, timeline)
	}
	return p, timeline, err
}

// readParcel reads a parcel and its encoded timeline from the
// transaction's cache, or else from its record, and says which.
func (t *Tx) readParcel(id ParcelID) (p Parcel, timeline []byte, cached bool, err error) {
	if c, ok := t.parcels[id]; ok {
		return c.Parcel, c.timeline, true, nil
	}
	v := t.bucket(bucketParcels).Get(u64(uint64(id)))
	if v == nil {
		return Parcel{}, nil, false, ErrNotFound
	}
	p, timeline, err = decodeParcel(id, v)
	return p, timeline, false, err
}

// remember keeps a decoded parcel and its encoded timeline for the rest of
// the transaction.
func (t *Tx) remember(p Parcel, timeline []byte) {
	if t.parcels == nil {
		t.parcels = map[ParcelID]cachedParcel{}
	}
	t.parcels[p.ID] = cachedParcel{Parcel: p, timeline: timeline}
}

// writeTimeline stores a parcel's timeline, in timeline order, in its
// record.
func (t *Tx) writeTimeline(id ParcelID, events []Event) error {
	p, err := t.Parcel(id)
	if err != nil {
		return err
	}
	return t.putRecord(p, encodeTimeline(events))
}

// putRecord writes a parcel's record when the transaction flushes.
func (t *Tx) putRecord(p Parcel, timeline []byte) error {
	if t.parcels == nil {
		t.parcels = map[ParcelID]cachedParcel{}
	}
	t.parcels[p.ID] = cachedParcel{p, timeline, true}
	return nil
}

// ParcelByTracking finds a carrier's parcel by tracking number.
func (t *Tx) ParcelByTracking(carrier, trackingNumber string) (Parcel, error) {
	ps, err := t.ParcelsByTracking(trackingNumber)
	if err != nil {
		return Parcel{}, err
	}
	for _, p := range ps {
		if p.Carrier == carrier {
			return p, nil
		}
	}
	return Parcel{}, ErrNotFound
}

// ParcelsByTracking returns every parcel with a tracking number, whatever
// its carrier: a webhook from an aggregator names the number but may spell
// the carrier its own way.
func (t *Tx) ParcelsByTracking(trackingNumber string) ([]Parcel, error) {
	var out []Parcel
	for _, id := range t.parcelsByTracking(foldTracking(trackingNumber), true, 0) {
		p, err := t.Parcel(id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// CreateParcel stores a new parcel, assigning p.ID and, unless the caller
// gave one from its own clock, CreatedAt. A carrier's tracking number is
// stored once: a second create for it is an error.
func (t *Tx) CreateParcel(p *Parcel) error {
	if p.Carrier == "" || p.TrackingNumber == "" {
		return fmt.Errorf("parcel needs a carrier and a tracking number")
	}
	if _, err := t.ParcelByTracking(p.Carrier, p.TrackingNumber); err == nil {
		return fmt.Errorf("parcel %s %s already stored", p.Carrier, p.TrackingNumber)
	}
	p.Exception = 0 // only OpenException sets it
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now().UTC()
	}
	seq, err := t.bucket(bucketParcels).NextSequence()
	if err != nil {
		return err
	}
	p.ID = ParcelID(seq)
	// The entry knows its order's number; PutOrder adds the rest of what a
	// hit shows.
	hit := hitValue{number: p.Order, value: p.TrackingNumber}
	if err := t.bucket(bucketIdxTracking).Put(indexKey(foldTracking(p.TrackingNumber), u64(seq)), hit.encode()); err != nil {
		return err
	}
	return t.writeParcel(Parcel{}, *p)
}

// PutParcel writes an existing parcel and moves its index entries (due
// time, last scan) to match. What identifies a parcel (carrier, tracking
// number, order) cannot change; the open exception and CreatedAt are the
// store's to keep and are not taken from p.
func (t *Tx) PutParcel(p Parcel) error {
	old, err := t.Parcel(p.ID)
	if err != nil {
		return fmt.Errorf("parcel %d: %w", p.ID, err)
	}
	if p.Carrier != old.Carrier || p.TrackingNumber != old.TrackingNumber || p.Order != old.Order {
		return fmt.Errorf("parcel %d: carrier, tracking number and order cannot change", p.ID)
	}
	p.Exception, p.CreatedAt, p.StallWatchAt = old.Exception, old.CreatedAt, old.StallWatchAt
	return t.writeParcel(old, p)
}

func (t *Tx) writeParcel(old, p Parcel) error {
	id := u64(uint64(p.ID))
	if err := t.moveParcelIndexes(id, old, &p); err != nil {
		return err
	}
	if err := t.countParcel(old, p); err != nil {
		return err
	}
	return t.putRecord(p, t.parcels[p.ID].timeline)
}

// moveParcelIndexes moves parcel id's entries in the due index and the
// time rules' watch indexes (watch.go) from what old needed to what p
// needs; the zero Parcel needs none.
func (t *Tx) moveParcelIndexes(id []byte, old Parcel, p *Parcel) error {
	if err := t.reindex(bucketIdxDue, old.NextPollAt, p.NextPollAt, id); err != nil {
		return err
	}
	return t.moveWatches(id, old, p)
}

// reindex moves id's entry in a time-ordered index from old to new; a zero
// time means "not in the index".
func (t *Tx) reindex(bucket []byte, old, new time.Time, id []byte) error {
	if old.Equal(new) {
		return nil
	}
	b := t.bucket(bucket)
	if !old.IsZero() {
		if err := b.Delete(join(timeKey(old), id)); err != nil {
			return err
		}
	}
	if new.IsZero() {
		return nil
	}
	return b.Put(join(timeKey(new), id), nil)
}

// ParcelsDue returns up to limit parcels whose next poll is at or before now,
// most overdue first.
func (t *Tx) ParcelsDue(now time.Time, limit int) []ParcelID {
	return t.parcelsBefore(bucketIdxDue, now, limit)
}

func (t *Tx) parcelsBefore(bucket []byte, at time.Time, limit int) []ParcelID {
	end := timeKey(at)
	var ids []ParcelID
	c := t.bucket(bucket).Cursor()
	for k, _ := c.First(); k != nil && len(ids) < limit; k, _ = c.Next() {
		if bytes.Compare(k[:8], end) > 0 {
			break
		}
		ids = append(ids, ParcelID(binary.BigEndian.Uint64(k[8:])))
	}
	return ids
}

// FeedName is the feed that tracks the parcel: its Feed, else its carrier's.
func (p Parcel) FeedName() string {
	if p.Feed != "" {
		return p.Feed
	}
	return p.Carrier
}
