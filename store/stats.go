package store

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Daily counts for the supervisor's picture live in the stats bucket beside
// the header's counters, one key per day, metric and value:
//
//	day:YYYYMMDD:metric:value -> uint64
//
// The day is the UTC day of the counted moment, so a range of days is one
// run of keys and reading 14 days costs the same in a store of any size.
// Each count moves in the transaction that writes the change it counts.
//
// What is counted, and on which day:
//   - exc_kind, exc_carrier: an exception opened, by kind and by carrier,
//     on its OpenedAt. Opening is never undone; resolving changes nothing.
//   - shipped: a parcel, by carrier, on its ShippedAt: the first write that
//     gives the parcel a ShippedAt counts it. The tracker sets ShippedAt
//     from the first scan that puts the parcel in transit, so this is the
//     carrier's first movement scan, not the label's creation.
//   - delivered_on_time, delivered_late, delivered_unknown: a parcel, by
//     carrier, on its DeliveredAt. Late means delivered after the end of
//     the UTC day of the date it is judged by: PromisedBy, or without a
//     promise the carrier's first ETA (OriginalEstimate). A parcel with
//     neither has nothing to be late against and is counted as unknown,
//     never as on time.
//   - notify_sent, notify_failed: a notification, by channel, when it
//     reaches that state: sent on its SentAt; failed on its NextAt, the
//     only time a failure leaves (the due time for a message no channel
//     could take, the end of its send lease, minutes after the attempt,
//     for one a provider refused).
//
// Parcels and notifications are counted by where they stand, not by
// writes: a rewrite that moves a parcel's ShippedAt or DeliveredAt to
// another day, or takes it back, moves or takes back its count. Both
// directions of parcel are counted. Archiving leaves the counts. Counts
// begin with the build that keeps them: history written before is not
// counted, and taking back a count that was never made leaves zero.

// Metric names one kind of daily count.
type Metric string

// The daily metrics. The value a metric is counted by is given with it.
const (
	MetricExceptionKind    Metric = "exc_kind"          // by ExceptionKind
	MetricExceptionCarrier Metric = "exc_carrier"       // by carrier
	MetricShipped          Metric = "shipped"           // by carrier
	MetricOnTime           Metric = "delivered_on_time" // by carrier
	MetricLate             Metric = "delivered_late"    // by carrier
	MetricUnjudged         Metric = "delivered_unknown" // by carrier: no promise, no ETA
	MetricNotifySent       Metric = "notify_sent"       // by channel
	MetricNotifyFailed     Metric = "notify_failed"     // by channel
)

// maxStatDays bounds a Daily read: a year and a bit is more than any chart
// shows, and a mistyped range must not allocate years of zeros.
const maxStatDays = 400

const dayPrefix = "day:"

// dayStamp is t's UTC day as the key spells it.
func dayStamp(t time.Time) string { return t.UTC().Format("20060102") }

// dayKey is the counter of metric and value on t's day.
func dayKey(t time.Time, m Metric, value string) []byte {
	return []byte(dayPrefix + dayStamp(t) + ":" + string(m) + ":" + value)
}

// moveDaily takes one from the counter at from and adds one to the counter
// at to; nil means no counter. A count to take back that is already zero
// was made before counts were kept, and stays zero.
func (t *Tx) moveDaily(from, to []byte) error {
	if bytes.Equal(from, to) {
		return nil
	}
	if from != nil && t.count(from) > 0 {
		if err := t.addCount(from, -1); err != nil {
			return err
		}
	}
	if to == nil {
		return nil
	}
	return t.addCount(to, 1)
}

// countOpened counts a newly opened exception by kind and by carrier.
func (t *Tx) countOpened(e Exception) error {
	if err := t.addCount(dayKey(e.OpenedAt, MetricExceptionKind, string(e.Kind)), 1); err != nil {
		return err
	}
	return t.addCount(dayKey(e.OpenedAt, MetricExceptionCarrier, e.Carrier), 1)
}

// countParcel moves a parcel's shipped and delivered counts when a write
// changes what they depend on; most writes change neither and cost nothing.
func (t *Tx) countParcel(old, p Parcel) error {
	if !old.ShippedAt.Equal(p.ShippedAt) {
		if err := t.moveDaily(shippedKey(old), shippedKey(p)); err != nil {
			return err
		}
	}
	if old.DeliveredAt.Equal(p.DeliveredAt) && dueBy(old).Equal(dueBy(p)) {
		return nil
	}
	return t.moveDaily(deliveredKey(old), deliveredKey(p))
}

func shippedKey(p Parcel) []byte {
	if p.ShippedAt.IsZero() {
		return nil
	}
	return dayKey(p.ShippedAt, MetricShipped, p.Carrier)
}

func deliveredKey(p Parcel) []byte {
	if p.DeliveredAt.IsZero() {
		return nil
	}
	return dayKey(p.DeliveredAt, deliveryOutcome(p), p.Carrier)
}

// dueBy is the date a delivery is judged by: the shop's promise, else the
// carrier's first ETA, else none (zero).
func dueBy(p Parcel) time.Time {
	if !p.PromisedBy.IsZero() {
		return p.PromisedBy
	}
	return p.OriginalEstimate
}

// deliveryOutcome judges a delivered parcel against the date it was due
// by: late if delivered after that day has ended (UTC).
func deliveryOutcome(p Parcel) Metric {
	due := dueBy(p)
	if due.IsZero() {
		return MetricUnjudged
	}
	y, m, d := due.UTC().Date()
	if p.DeliveredAt.Before(time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)) {
		return MetricOnTime
	}
	return MetricLate
}

// countNotification moves a notification's sent or failed count as its
// state changes.
func (t *Tx) countNotification(old, n Notification) error {
	if old.State == n.State && old.SentAt.Equal(n.SentAt) && old.NextAt.Equal(n.NextAt) {
		return nil
	}
	return t.moveDaily(notifyKey(old), notifyKey(n))
}

func notifyKey(n Notification) []byte {
	switch n.State {
	case NotifySent:
		return dayKey(n.SentAt, MetricNotifySent, n.Channel)
	case NotifyFailed:
		return dayKey(n.NextAt, MetricNotifyFailed, n.Channel)
	}
	return nil
}

// DailyStats holds the daily counts of a range of days.
type DailyStats struct {
	// From is the first day's start, midnight UTC; Days how many days the
	// series cover.
	From time.Time
	Days int
	// Counts holds, per metric and value, one count per day from From.
	// Values with no count in the range are absent.
	Counts map[Metric]map[string][]int
}

// Series is the daily counts of one metric and value: Days long, zeros
// when nothing was counted.
func (d DailyStats) Series(m Metric, value string) []int {
	if s, ok := d.Counts[m][value]; ok {
		return s
	}
	return make([]int, d.Days)
}

// Total is the sum of one metric and value over the range.
func (d DailyStats) Total(m Metric, value string) int {
	n := 0
	for _, c := range d.Counts[m][value] {
		n += c
	}
	return n
}

// Values lists the values a metric was counted by in the range, sorted.
func (d DailyStats) Values(m Metric) []string {
	out := make([]string, 0, len(d.Counts[m]))
	for v := range d.Counts[m] {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// Daily returns every daily count from from's UTC day to to's, both
// included, in one read transaction that seeks to the range and reads only
// its keys. A range that ends before it starts, or spans more than 400
// days, is refused.
func (s *Store) Daily(from, to time.Time) (DailyStats, error) {
	first := midnightUTC(from)
	days := int(midnightUTC(to).Sub(first)/(24*time.Hour)) + 1
	if days < 1 || days > maxStatDays {
		return DailyStats{}, fmt.Errorf("daily counts from %s to %s: want 1 to %d days", dayStamp(from), dayStamp(to), maxStatDays)
	}
	d := DailyStats{From: first, Days: days, Counts: map[Metric]map[string][]int{}}
	index := make(map[string]int, days)
	for i := range days {
		index[dayStamp(first.AddDate(0, 0, i))] = i
	}
	last := []byte(dayPrefix + dayStamp(to) + ";") // ';' sorts just after ':'
	err := s.View(func(tx *Tx) error {
		c := tx.bucket(bucketStats).Cursor()
		for k, v := c.Seek([]byte(dayPrefix + dayStamp(first))); k != nil && bytes.Compare(k, last) < 0; k, v = c.Next() {
			d.add(index, string(k[len(dayPrefix):]), counter(v))
		}
		return nil
	})
	return d, err
}

// add files one counter, named by its key after the prefix, under its day.
// A key this build cannot read is skipped.
func (d *DailyStats) add(index map[string]int, key string, n int) {
	day, rest, ok := strings.Cut(key, ":")
	metric, value, ok2 := strings.Cut(rest, ":")
	i, ok3 := index[day]
	if !ok || !ok2 || !ok3 || n == 0 {
		return
	}
	byValue := d.Counts[Metric(metric)]
	if byValue == nil {
		byValue = map[string][]int{}
		d.Counts[Metric(metric)] = byValue
	}
	if byValue[value] == nil {
		byValue[value] = make([]int, d.Days)
	}
	byValue[value][i] += n
}

func midnightUTC(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
