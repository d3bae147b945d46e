package sim

import (
	"math/rand/v2"
	"time"
)

// Kind is what happens at one step of a journey, in no carrier's words:
// each carrier's format turns it into its own codes and text.
type Kind int

// The steps a journey can take.
const (
	LabelCreated   Kind = iota // the shop bought the label; the carrier has data only
	PickedUp                   // the carrier collected the parcel
	OriginHub                  // sorted at the origin parcel centre
	Exported                   // left the country of origin
	CustomsHeld                // held by customs, duties to pay
	CustomsCleared             // released by customs
	DestinationHub             // sorted at the destination parcel centre
	OutForDelivery             // on the delivery vehicle
	AddressProblem             // the recipient could not be found at the address
	NotHome                    // a delivery attempt failed: nobody at home
	Damaged                    // damaged in transit
	Refused                    // the recipient refused the parcel
	Returning                  // on its way back to the sender
	ReadyForPickup             // waiting at a pickup point
	NotCollected               // not collected from the pickup point in time
	Collected                  // collected by the recipient from the pickup point
	Delivered                  // delivered to the door
	ETARevised                 // the carrier moved the delivery date: informational
)

// Step is one scan of a parcel's planned journey. The server reveals a step
// once the simulated clock has passed its time.
type Step struct {
	At    time.Time
	Kind  Kind
	Place place
	// ETA is the delivery date an ETARevised step announces.
	ETA time.Time
}

// Trouble names what goes wrong on a journey, if anything.
type Trouble string

// The troubles a journey can meet, and how often.
const (
	TroubleNone     Trouble = ""
	TroubleAddress  Trouble = "address"
	TroubleNotHome  Trouble = "not_home"
	TroubleCustoms  Trouble = "customs"
	TroubleStall    Trouble = "stall"
	TroubleLost     Trouble = "lost"
	TroubleDamaged  Trouble = "damaged"
	TroubleRefused  Trouble = "refused"
	TroublePickup   Trouble = "pickup"
	TroubleNoPickup Trouble = "not_collected"
)

var troubleOdds = []struct {
	trouble Trouble
	percent int
}{
	{TroubleAddress, 6}, {TroubleNotHome, 6}, {TroubleStall, 6}, {TroubleLost, 2},
	{TroubleDamaged, 2}, {TroubleRefused, 3}, {TroublePickup, 6}, {TroubleNoPickup, 2},
}

// journey builds a parcel's steps in time order.
type journey struct {
	r     *rand.Rand
	t     time.Time
	dest  place
	steps []Step
}

// after advances the journey's clock by a random duration in [lo, hi).
func (j *journey) after(lo, hi time.Duration) *journey {
	j.t = j.t.Add(lo + time.Duration(j.r.Int64N(int64(hi-lo)))).Truncate(time.Second)
	return j
}

func (j *journey) scan(k Kind, at place) *journey {
	j.steps = append(j.steps, Step{At: j.t, Kind: k, Place: at})
	return j
}

// revise announces a new delivery date, as carriers do after a delay.
func (j *journey) revise(eta time.Time) *journey {
	j.steps = append(j.steps, Step{At: j.t, Kind: ETARevised, ETA: eta})
	return j
}

// nextMorning moves to the destination's next delivery round.
func (j *journey) nextMorning() *journey {
	d := j.t.Add(24 * time.Hour).Truncate(24 * time.Hour)
	j.t = d.Add(6*time.Hour + time.Duration(j.r.Int64N(int64(2*time.Hour)))).Truncate(time.Second)
	return j
}

func pickTrouble(r *rand.Rand, dest place) Trouble {
	if dest.country == "CH" || dest.country == "GB" || dest.country == "US" {
		if r.IntN(100) < 35 {
			return TroubleCustoms
		}
	}
	n := r.IntN(100)
	for _, o := range troubleOdds {
		if n < o.percent {
			return o.trouble
		}
		n -= o.percent
	}
	return TroubleNone
}

// plan lays out a parcel's whole journey from the label to its end, and the
// delivery date the carrier first promises.
func plan(r *rand.Rand, ship time.Time, dest place, trouble Trouble) ([]Step, time.Time) {
	// Carriers report whole seconds.
	j := &journey{r: r, t: ship.Truncate(time.Second), dest: dest}
	j.scan(LabelCreated, place{})
	j.after(2*time.Hour, 8*time.Hour).scan(PickedUp, origin)
	j.after(2*time.Hour, 6*time.Hour).scan(OriginHub, place{city: origin.hub, country: origin.country})
	if trouble == TroubleLost {
		return j.steps, j.t.Add(36 * time.Hour)
	}
	eta := j.t.Add(48 * time.Hour).Truncate(24 * time.Hour).Add(18 * time.Hour)
	if trouble == TroubleStall {
		j.after(60*time.Hour, 110*time.Hour)
	}
	j.after(6*time.Hour, 14*time.Hour)
	if dest.country != origin.country {
		j.scan(Exported, place{city: origin.hub, country: origin.country})
		j.after(8*time.Hour, 20*time.Hour)
		eta = eta.Add(48 * time.Hour)
	}
	if trouble == TroubleCustoms {
		j.scan(CustomsHeld, dest)
		j.revise(eta.Add(72 * time.Hour))
		j.after(30*time.Hour, 80*time.Hour).scan(CustomsCleared, dest)
		j.after(2*time.Hour, 6*time.Hour)
	}
	j.scan(DestinationHub, place{city: dest.hub, country: dest.country, state: dest.state})
	j.lastMile(trouble)
	return j.steps, eta
}

// lastMile plays the delivery round and whatever goes wrong on it.
func (j *journey) lastMile(trouble Trouble) {
	j.nextMorning().scan(OutForDelivery, j.dest)
	j.after(2*time.Hour, 6*time.Hour)
	switch trouble {
	case TroubleAddress:
		j.scan(AddressProblem, j.dest)
		if j.r.IntN(2) == 0 {
			j.after(24*time.Hour, 48*time.Hour).scan(Returning, j.dest)
			return
		}
		j.nextMorning().scan(OutForDelivery, j.dest)
		j.after(2*time.Hour, 5*time.Hour)
	case TroubleNotHome:
		j.scan(NotHome, j.dest)
		j.nextMorning().scan(OutForDelivery, j.dest)
		j.after(2*time.Hour, 5*time.Hour)
	case TroubleDamaged:
		j.scan(Damaged, j.dest)
		j.after(20*time.Hour, 40*time.Hour).scan(OutForDelivery, j.dest)
		j.after(2*time.Hour, 5*time.Hour)
	case TroubleRefused:
		j.scan(Refused, j.dest)
		j.after(10*time.Hour, 30*time.Hour).scan(Returning, j.dest)
		return
	case TroublePickup, TroubleNoPickup:
		j.scan(ReadyForPickup, j.dest)
		if trouble == TroubleNoPickup {
			j.after(7*24*time.Hour, 8*24*time.Hour).scan(NotCollected, j.dest)
			return
		}
		j.after(10*time.Hour, 50*time.Hour).scan(Collected, j.dest)
		return
	}
	j.scan(Delivered, j.dest)
}
