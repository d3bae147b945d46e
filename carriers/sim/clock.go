package sim

import (
	"sync"
	"time"
)

// Clock is simulated time: it starts at a given instant and runs a fixed
// multiple faster than the wall clock, so a journey of days plays out in
// minutes. It is safe for concurrent use.
type Clock struct {
	mu         sync.Mutex
	simStart   time.Time
	wallStart  time.Time
	multiplier float64
	wall       func() time.Time
}

// NewClock returns a clock reading start now and advancing multiplier
// simulated seconds per wall-clock second.
func NewClock(start time.Time, multiplier float64) *Clock {
	return &Clock{simStart: start.UTC(), wallStart: time.Now(), multiplier: multiplier, wall: time.Now}
}

// Now is the current simulated time, in UTC.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	elapsed := float64(c.wall().Sub(c.wallStart)) * c.multiplier
	return c.simStart.Add(time.Duration(elapsed)).Truncate(time.Second)
}

// Multiplier is how many simulated seconds pass per wall-clock second.
func (c *Clock) Multiplier() float64 { return c.multiplier }
