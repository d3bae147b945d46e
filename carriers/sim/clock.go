package sim

import "time"

// Clock is simulated time: it starts at a given instant and runs a fixed
// multiple faster than the wall clock, so a journey of days plays out in
// minutes. It never changes after NewClock, so it is safe for concurrent
// use.
type Clock struct {
	simStart   time.Time
	wallStart  time.Time
	multiplier float64
}

// NewClock returns a clock reading start now and advancing multiplier
// simulated seconds per wall-clock second.
func NewClock(start time.Time, multiplier float64) *Clock {
	return &Clock{simStart: start.UTC(), wallStart: time.Now(), multiplier: multiplier}
}

// Now is the current simulated time, in UTC, to the second.
func (c *Clock) Now() time.Time {
	elapsed := float64(time.Since(c.wallStart)) * c.multiplier
	return c.simStart.Add(time.Duration(elapsed)).Truncate(time.Second)
}
