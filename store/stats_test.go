package store

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// Three days around two midnights: counts fall on the UTC day of the moment
// counted, to the nanosecond.
var (
	day0 = time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	day1 = day0.AddDate(0, 0, 1)
	day2 = day0.AddDate(0, 0, 2)
	day3 = day0.AddDate(0, 0, 3)
)

// statsParcels creates one parcel per carrier given and returns their ids.
func statsParcels(t *testing.T, s *Store, carriers ...string) []ParcelID {
	t.Helper()
	var ids []ParcelID
	mustUpdate(t, s, func(tx *Tx) error {
		for i, c := range carriers {
			p := Parcel{Carrier: c, TrackingNumber: fmt.Sprint("T", i), Order: fmt.Sprint(2001 + i)}
			if err := tx.CreateParcel(&p); err != nil {
				return err
			}
			ids = append(ids, p.ID)
		}
		return nil
	})
	return ids
}

// change rewrites a parcel as the tracker does: read, change, put.
func change(t *testing.T, s *Store, id ParcelID, fn func(*Parcel)) {
	t.Helper()
	mustUpdate(t, s, func(tx *Tx) error {
		p, err := tx.Parcel(id)
		if err != nil {
			return err
		}
		fn(&p)
		return tx.PutParcel(p)
	})
}

func daily(t *testing.T, s *Store, from, to time.Time) DailyStats {
	t.Helper()
	d, err := s.Daily(from, to)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func wantSeries(t *testing.T, d DailyStats, m Metric, value string, want ...int) {
	t.Helper()
	if got := d.Series(m, value); !slices.Equal(got, want) {
		t.Errorf("%s %s = %v, want %v", m, value, got, want)
	}
}

// Parcels are counted shipped on their first ShippedAt, delivered on time,
// late or unjudged on their DeliveredAt, and a rewrite that changes
// nothing counts nothing.
func TestDailyCountsShippedAndDelivered(t *testing.T) {
	s := openTemp(t)
	ids := statsParcels(t, s, "dhl", "dhl", "ups", "ups")
	a, b, c, d := ids[0], ids[1], ids[2], ids[3]
	change(t, s, a, func(p *Parcel) { p.ShippedAt, p.PromisedBy = day1.Add(-time.Nanosecond), day2 })
	change(t, s, b, func(p *Parcel) { p.ShippedAt, p.PromisedBy = day0.Add(10*time.Hour), day1 })
	change(t, s, c, func(p *Parcel) { p.ShippedAt = day1 })
	change(t, s, d, func(p *Parcel) { p.LastPolledAt = day1 }) // never shipped
	change(t, s, a, func(p *Parcel) { p.LastPolledAt = day2 }) // no news
	change(t, s, a, func(p *Parcel) { p.ShippedAt = day0.Add(20 * time.Hour) })

	// a: the last instant of its promised day; b: the first instant after
	// it; c: no promise at all.
	change(t, s, a, func(p *Parcel) { p.DeliveredAt = day3.Add(-time.Nanosecond) })
	change(t, s, b, func(p *Parcel) { p.DeliveredAt = day2 })
	change(t, s, c, func(p *Parcel) { p.DeliveredAt = day2.Add(5 * time.Hour) })
	change(t, s, a, func(p *Parcel) { p.LastEventAt = day2 })

	st := daily(t, s, day0, day2.Add(23*time.Hour))
	if st.Days != 3 || !st.From.Equal(day0) {
		t.Fatalf("range %s + %d days, want %s + 3", st.From, st.Days, day0)
	}
	wantSeries(t, st, MetricShipped, "dhl", 2, 0, 0)
	wantSeries(t, st, MetricShipped, "ups", 0, 1, 0)
	wantSeries(t, st, MetricOnTime, "dhl", 0, 0, 1)
	wantSeries(t, st, MetricLate, "dhl", 0, 0, 1)
	wantSeries(t, st, MetricUnjudged, "ups", 0, 0, 1)
	wantSeries(t, st, MetricOnTime, "ups", 0, 0, 0)
	if got := st.Values(MetricShipped); !slices.Equal(got, []string{"dhl", "ups"}) {
		t.Errorf("shipping carriers %v", got)
	}
}

// A rewrite that moves a parcel's delivery to another day, or takes it
// back, or moves its promise, moves or takes back the count.
func TestDailyCountsFollowRevisions(t *testing.T) {
	s := openTemp(t)
	a := statsParcels(t, s, "dhl")[0]
	change(t, s, a, func(p *Parcel) { p.ShippedAt, p.DeliveredAt, p.PromisedBy = day0, day2, day1 })
	change(t, s, a, func(p *Parcel) { p.PromisedBy = day2 })  // late becomes on time
	change(t, s, a, func(p *Parcel) { p.ShippedAt = day1 })   // a scan read again
	change(t, s, a, func(p *Parcel) { p.DeliveredAt = day1 }) // an earlier delivery scan
	st := daily(t, s, day0, day2)
	wantSeries(t, st, MetricShipped, "dhl", 0, 1, 0)
	wantSeries(t, st, MetricOnTime, "dhl", 0, 1, 0)
	wantSeries(t, st, MetricLate, "dhl", 0, 0, 0)

	change(t, s, a, func(p *Parcel) { p.DeliveredAt = time.Time{} }) // the delivery was a misscan
	wantSeries(t, daily(t, s, day0, day2), MetricOnTime, "dhl", 0, 0, 0)
}

// Without a promise a delivery is judged by the carrier's first ETA; a
// promise wins over it; an ETA learnt after the delivery judges it then.
func TestDailyJudgesByFirstETAWithoutPromise(t *testing.T) {
	s := openTemp(t)
	ids := statsParcels(t, s, "ups", "ups", "ups", "ups")
	change(t, s, ids[0], func(p *Parcel) { p.OriginalEstimate, p.DeliveredAt = day1, day2 })
	change(t, s, ids[1], func(p *Parcel) { p.OriginalEstimate, p.DeliveredAt = day2, day2.Add(time.Hour) })
	change(t, s, ids[2], func(p *Parcel) { p.PromisedBy, p.OriginalEstimate, p.DeliveredAt = day2, day1, day2 })
	change(t, s, ids[3], func(p *Parcel) { p.DeliveredAt = day2 })
	st := daily(t, s, day2, day2)
	wantSeries(t, st, MetricLate, "ups", 1)
	wantSeries(t, st, MetricOnTime, "ups", 2)
	wantSeries(t, st, MetricUnjudged, "ups", 1)

	change(t, s, ids[3], func(p *Parcel) { p.OriginalEstimate = day0 })
	st = daily(t, s, day2, day2)
	wantSeries(t, st, MetricLate, "ups", 2)
	wantSeries(t, st, MetricUnjudged, "ups", 0)
}

// A parcel written before counts were kept has no count to take back: its
// revision leaves zero, not an error that would lose the carrier's news.
func TestDailyCountsStartWithThisBuild(t *testing.T) {
	s := openTemp(t)
	a := statsParcels(t, s, "dhl")[0]
	mustUpdate(t, s, func(tx *Tx) error {
		p, _ := tx.Parcel(a)
		p.ShippedAt, p.DeliveredAt = day0, day1
		return tx.put(bucketParcels, u64(uint64(a)), p) // as an older build wrote it
	})
	s = reopen(t, s)
	change(t, s, a, func(p *Parcel) { p.ShippedAt, p.DeliveredAt = day1, time.Time{} })
	st := daily(t, s, day0, day1)
	wantSeries(t, st, MetricShipped, "dhl", 0, 1)
	wantSeries(t, st, MetricUnjudged, "dhl", 0, 0)
}

// reopen closes s and opens its file again, so no transaction's memory of
// a parcel carries over.
func reopen(t *testing.T, s *Store) *Store {
	t.Helper()
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Exceptions are counted once when opened, by kind and carrier, on the day
// they opened; resolving them takes nothing back, and an open refused
// counts nothing.
func TestDailyCountsOpenedExceptions(t *testing.T) {
	s := openTemp(t)
	ids := statsParcels(t, s, "dhl", "ups")
	open := func(id ParcelID, kind ExceptionKind, at time.Time) (e Exception) {
		mustUpdate(t, s, func(tx *Tx) error {
			e = Exception{Parcel: id, Kind: kind, OpenedAt: at}
			return tx.OpenException(&e)
		})
		return e
	}
	lost := open(ids[0], KindLost, day1.Add(-time.Nanosecond))
	open(ids[1], KindStalled, day1)
	mustUpdate(t, s, func(tx *Tx) error { return tx.ResolveException(lost.ID, day1, "found") })
	open(ids[0], KindDelayed, day1.Add(time.Hour))
	err := s.Update(func(tx *Tx) error {
		return tx.OpenException(&Exception{Parcel: ids[0], Kind: KindLost, OpenedAt: day1})
	})
	if err == nil {
		t.Fatal("a second open exception on one parcel was stored")
	}

	st := daily(t, s, day0, day1)
	wantSeries(t, st, MetricExceptionKind, string(KindLost), 1, 0)
	wantSeries(t, st, MetricExceptionKind, string(KindStalled), 0, 1)
	wantSeries(t, st, MetricExceptionKind, string(KindDelayed), 0, 1)
	wantSeries(t, st, MetricExceptionCarrier, "dhl", 1, 1)
	wantSeries(t, st, MetricExceptionCarrier, "ups", 0, 1)
}

// Notifications are counted sent on their SentAt and failed on their last
// due time, by channel, once each however often they are written.
func TestDailyCountsNotifications(t *testing.T) {
	s := openTemp(t)
	var ns []*Notification
	mustUpdate(t, s, func(tx *Tx) error {
		for _, ch := range []string{"email", "sms", "sms"} {
			n := &Notification{Order: "2001", Channel: ch, To: "x", QueuedAt: day0.Add(22 * time.Hour)}
			if err := tx.Enqueue(n); err != nil {
				return err
			}
			ns = append(ns, n)
		}
		return nil
	})
	put := func(n *Notification, state NotificationState, next, sent time.Time) {
		n.State, n.NextAt, n.SentAt = state, next, sent
		mustUpdate(t, s, func(tx *Tx) error { return tx.PutNotification(*n) })
	}
	lease := 5 * time.Minute
	put(ns[0], NotifySending, day1.Add(-time.Minute+lease), time.Time{})
	put(ns[0], NotifySent, day1.Add(-time.Minute+lease), day1.Add(-time.Minute))
	put(ns[0], NotifySent, day1.Add(-time.Minute+lease), day1.Add(-time.Minute)) // written again
	put(ns[1], NotifySending, day1.Add(-time.Minute+lease), time.Time{})
	put(ns[1], NotifyQueued, day1.Add(time.Minute), time.Time{}) // a retry
	put(ns[1], NotifySending, day1.Add(time.Minute+lease), time.Time{})
	put(ns[1], NotifyFailed, day1.Add(time.Minute+lease), time.Time{})
	put(ns[2], NotifyFailed, ns[2].NextAt, time.Time{}) // no channel to take it

	st := daily(t, s, day0, day1)
	wantSeries(t, st, MetricNotifySent, "email", 1, 0)
	wantSeries(t, st, MetricNotifyFailed, "sms", 1, 1)
	wantSeries(t, st, MetricNotifySent, "sms", 0, 0)
	if got := st.Total(MetricNotifyFailed, "sms"); got != 2 {
		t.Errorf("sms failures in total: %d, want 2", got)
	}
}

// Daily reads the days asked for and no others, by UTC day whatever the
// zone of the bounds, and refuses a range that is backwards or too long.
func TestDailyRangeIsExact(t *testing.T) {
	s := openTemp(t)
	ids := statsParcels(t, s, "dhl", "dhl", "dhl")
	for i, at := range []time.Time{day0.Add(-time.Nanosecond), day1, day3} {
		change(t, s, ids[i], func(p *Parcel) { p.ShippedAt = at })
	}
	berlin := time.FixedZone("CET", 3600)
	st := daily(t, s, day1.In(berlin), day2.Add(23*time.Hour).In(berlin)) // 01:00 and 00:00 the next day in CET
	if st.Days != 2 || !st.From.Equal(day1) {
		t.Errorf("range %s + %d days, want %s + 2", st.From, st.Days, day1)
	}
	wantSeries(t, st, MetricShipped, "dhl", 1, 0)
	wantSeries(t, st, MetricLate, "dhl", 0, 0)
	if got := st.Values(MetricLate); len(got) != 0 {
		t.Errorf("late values in a range with none: %v", got)
	}
	if got := st.Total(MetricShipped, "nobody"); got != 0 {
		t.Errorf("total of an unknown carrier: %d", got)
	}
	if st := daily(t, s, day2, day2); st.Days != 1 || len(st.Counts) != 0 {
		t.Errorf("a day with nothing: %+v", st)
	}
	for _, r := range [][2]time.Time{{day1, day0}, {day0, day0.AddDate(2, 0, 0)}} {
		if _, err := s.Daily(r[0], r[1]); err == nil {
			t.Errorf("Daily(%s, %s) was answered", r[0], r[1])
		}
	}
}

// BenchmarkDaily reads the supervisor's 14 days out of two years of daily
// counts: the cost is the range's keys, not the history's.
func BenchmarkDaily(b *testing.B) {
	s := openTemp(b)
	err := s.Update(func(tx *Tx) error {
		for day := range 730 {
			at := day0.AddDate(0, 0, -day)
			for _, k := range Kinds {
				if err := tx.addCount(dayKey(at, MetricExceptionKind, string(k)), 1); err != nil {
					return err
				}
			}
			for _, c := range []string{"dhl", "ups", "fedex", "dpd"} {
				if err := tx.addCount(dayKey(at, MetricShipped, c), 9); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Daily(day0.AddDate(0, 0, -13), day0); err != nil {
			b.Fatal(err)
		}
	}
}
