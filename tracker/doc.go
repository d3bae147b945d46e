// Package tracker is the desk's background work: it polls carriers for the
// parcels that are due, merges what they report into the store, derives each
// parcel's status from its timeline, and opens and resolves exceptions.
//
// All of a poll round's results are written in one store transaction. The
// rules run inside that transaction and never block: the network calls are
// finished before it starts.
//
// Time comes from a clock function rather than time.Now, so the demo can
// run days of carrier activity in minutes and tests can hold time still.
package tracker
