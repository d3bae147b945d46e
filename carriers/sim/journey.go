package sim

import (
	"math/rand/v2"
	"time"
)

// Step is one scan of a parcel's planned journey. The server reveals a step
// once the simulated clock has passed its time.
type Step struct {
	At         time.Time
	Code       string // DHL statusCode
	Text       string
	Place      place
	ReturnFlag bool
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

func (j *journey) scan(code, text string, at place) *journey {
	j.steps = append(j.steps, Step{At: j.t, Code: code, Text: text, Place: at})
	return j
}

// returned marks the last step as part of the way back to the sender.
func (j *journey) returned() *journey {
	j.steps[len(j.steps)-1].ReturnFlag = true
	return j
}

// nextMorning moves to the destination's next delivery round.
func (j *journey) nextMorning() *journey {
	d := j.t.Add(24 * time.Hour).Truncate(24 * time.Hour)
	j.t = d.Add(6*time.Hour + time.Duration(j.r.Int64N(int64(2*time.Hour)))).Truncate(time.Second)
	return j
}

func pickTrouble(r *rand.Rand, dest place) Trouble {
	if dest.country == "CH" || dest.country == "GB" {
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
	j.scan("pre-transit", "The instruction data for this shipment have been provided by the sender to DHL electronically", place{})
	j.after(2*time.Hour, 8*time.Hour).scan("transit", "The shipment has been picked up", origin)
	j.after(2*time.Hour, 6*time.Hour).scan("transit", "The shipment has been processed in the parcel center of origin", place{city: origin.hub, country: origin.country})
	if trouble == TroubleLost {
		return j.steps, j.t.Add(36 * time.Hour)
	}
	if trouble == TroubleStall {
		j.after(60*time.Hour, 110*time.Hour)
	}
	j.after(6*time.Hour, 14*time.Hour)
	eta := j.t.Add(24 * time.Hour).Truncate(24 * time.Hour).Add(18 * time.Hour)
	if dest.country != origin.country {
		j.scan("transit", "The shipment has left the country of origin", place{city: origin.hub, country: origin.country})
		j.after(8*time.Hour, 20*time.Hour)
		eta = eta.Add(48 * time.Hour)
	}
	if trouble == TroubleCustoms {
		j.scan("failure", "The shipment is being held by customs. Import duties must be paid", dest)
		j.after(30*time.Hour, 80*time.Hour).scan("transit", "Customs clearance completed", dest)
		j.after(2*time.Hour, 6*time.Hour)
	}
	j.scan("transit", "The shipment has been processed in the destination parcel center", place{city: dest.hub, country: dest.country})
	j.lastMile(trouble)
	return j.steps, eta
}

// lastMile plays the delivery round and whatever goes wrong on it.
func (j *journey) lastMile(trouble Trouble) {
	j.nextMorning().scan("transit", "The shipment has been loaded onto the delivery vehicle", j.dest)
	j.after(2*time.Hour, 6*time.Hour)
	switch trouble {
	case TroubleAddress:
		j.scan("failure", "The recipient could not be found at the address given", j.dest)
		if j.r.IntN(2) == 0 {
			j.after(24*time.Hour, 48*time.Hour).scan("failure", "The shipment is being returned to the sender", j.dest).returned()
			return
		}
		j.nextMorning().scan("transit", "Address corrected. The shipment has been loaded onto the delivery vehicle", j.dest)
		j.after(2*time.Hour, 5*time.Hour)
	case TroubleNotHome:
		j.scan("failure", "Delivery attempt failed: the recipient was not at home. A notification card was left", j.dest)
		j.nextMorning().scan("transit", "The shipment has been loaded onto the delivery vehicle", j.dest)
		j.after(2*time.Hour, 5*time.Hour)
	case TroubleDamaged:
		j.scan("failure", "The shipment was damaged in transit and is being repacked", j.dest)
		j.after(20*time.Hour, 40*time.Hour).scan("transit", "The shipment has been loaded onto the delivery vehicle", j.dest)
		j.after(2*time.Hour, 5*time.Hour)
	case TroubleRefused:
		j.scan("failure", "The recipient refused to accept the shipment", j.dest)
		j.after(10*time.Hour, 30*time.Hour).scan("failure", "The shipment is being returned to the sender", j.dest).returned()
		return
	case TroublePickup, TroubleNoPickup:
		j.scan("transit", "The shipment is ready for pick-up at the DHL Packstation", j.dest)
		if trouble == TroubleNoPickup {
			j.after(7*24*time.Hour, 8*24*time.Hour).scan("failure", "The shipment was not collected from the Packstation and has expired", j.dest)
			return
		}
		j.after(10*time.Hour, 50*time.Hour).scan("delivered", "The shipment has been picked up by the recipient from the Packstation", j.dest)
		return
	}
	j.scan("delivered", "The shipment has been successfully delivered", j.dest)
}
