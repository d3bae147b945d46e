package bench

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// dataset is a synthetic operator's volume, generated on demand from a seed:
// the same seed and index give the same order, parcel and journey, so
// nothing of it has to be held in memory however large the run.
type dataset struct {
	seed    uint64
	orders  int
	parcels int           // total parcels; order i owns parcels [first(i), first(i+1))
	start   time.Time     // the first order's placing time
	every   time.Duration // between one order's placing and the next's
	firsts  []int32       // first parcel index of each order
	// settle gives a journey that ends in trouble a last scan days later
	// (delivered, or returned to the sender after a refusal), as journeys
	// in life end: the lifecycle run's orders must finish to be archived.
	settle bool
}

// span is a run of orders, [lo, hi).
type span struct{ lo, hi int }

// all is every order of the dataset.
func (d *dataset) all() span { return span{0, d.orders} }

// parcels is the run of parcel indexes of the span's orders.
func (s span) parcels(d *dataset) (lo, hi int) { return int(d.firsts[s.lo]), int(d.firsts[s.hi]) }

// The shape of the data: how many parcels an order ships in (1 to 5,
// three on average, as the brief's 1M orders / 3M parcels) and how many
// events a journey has (6 to 14, ten on average).
const (
	maxParcelsPerOrder = 5
	minEvents          = 6
	maxEvents          = 14
)

func newDataset(seed uint64, orders int, start time.Time) *dataset {
	d := &dataset{seed: seed, orders: orders, start: start, every: 600 * time.Millisecond, firsts: make([]int32, orders+1)}
	for i := range orders {
		d.firsts[i+1] = d.firsts[i] + int32(1+d.rng(0, uint64(i)).IntN(maxParcelsPerOrder))
	}
	d.parcels = int(d.firsts[orders])
	return d
}

// rng is the random stream of one record: stream says which kind of record.
func (d *dataset) rng(stream, i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(d.seed^stream<<56, i))
}

var (
	firstNames = []string{"Anna", "Jürgen", "Zoë", "José", "Renée", "Maria", "Lukas", "Sofía",
		"Björn", "Chloé", "Mohammed", "Aiko", "Liam", "Noémie", "Søren", "Oliver", "Emma", "Ðorđe",
		"Mia", "Noah", "Łukasz", "Ines", "Elif", "Mateo", "Hannah", "Yusuf", "Lena", "Pierre"}
	lastNames = []string{"Müller", "Muller", "Schröder", "García", "Nowak", "Öztürk", "Dubois",
		"Smith", "Rossi", "Jensen", "Kowalski", "Novák", "Fernández", "O'Brien", "Van der Berg",
		"Yılmaz", "Tanaka", "Johansson", "Lefèvre", "Papadopoulos", "Horvát", "Weiß", "Brown",
		"Nguyen", "Silva", "Kovač", "Meier", "Dąbrowski", "Andersen", "Costa"}
	domains   = []string{"example.com", "mail.example", "example.de", "post.example.org"}
	countries = []string{"DE", "DE", "DE", "GB", "FR", "NL", "US", "CH"}
	cities    = []string{"Berlin", "Hamburg", "München", "London", "Paris", "Amsterdam", "Chicago", "Zürich"}
)

// orderNumber is order i's number, as a shop prints it.
func (d *dataset) orderNumber(i int) string { return strconv.Itoa(1_000_000 + i) }

// order is order i with its customer and lines; parcels come separately.
func (d *dataset) order(i int) store.Order {
	r := d.rng(1, uint64(i))
	first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
	country := countries[r.IntN(len(countries))]
	return store.Order{
		Number:   d.orderNumber(i),
		Channel:  "web",
		PlacedAt: d.placedAt(i),
		Customer: store.Customer{
			Name:   first + " " + last,
			Email:  fmt.Sprintf("%s.%s%d@%s", asciiLower(first), asciiLower(last), i, domains[r.IntN(len(domains))]),
			Phone:  phone(r, i),
			Locale: "en",
		},
		ShipTo: store.Address{
			Name: first + " " + last, Line1: fmt.Sprintf("%d Example Street", 1+r.IntN(200)),
			City: cities[r.IntN(len(cities))], PostalCode: postcode(r, country), Country: country,
		},
		Lines: []store.Line{{SKU: fmt.Sprintf("SKU-%05d", r.IntN(50_000)), Title: "Item", Qty: 1 + r.IntN(3)}},
	}
}

// placedAt spreads the orders every apart, newest last: 0.6 s by default,
// a million orders in a week, the brief's volume.
func (d *dataset) placedAt(i int) time.Time {
	return d.start.Add(time.Duration(i) * d.every)
}

// phone writes a number unique to the order in one of the ways customers
// give theirs: international, national with a trunk zero, or grouped.
func phone(r *rand.Rand, i int) string {
	n := 10_000_000 + i%90_000_000
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("+49 17%d %08d", r.IntN(10), n)
	case 1:
		return fmt.Sprintf("017%d-%08d", r.IntN(10), n)
	}
	return fmt.Sprintf("(0)7%d %04d %04d", r.IntN(10), n/10_000%10_000, n%10_000)
}

func postcode(r *rand.Rand, country string) string {
	if country == "GB" {
		return fmt.Sprintf("SW%d %dAA", 1+r.IntN(20), r.IntN(10))
	}
	return fmt.Sprintf("%05d", r.IntN(100_000))
}

// asciiLower keeps an email's local part plain.
func asciiLower(s string) string {
	out := make([]byte, 0, len(s))
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z':
			out = append(out, c)
		case c >= 'A' && c <= 'Z':
			out = append(out, c+'a'-'A')
		}
	}
	return string(out)
}

// carrierNames are the carriers the parcels ship with.
var carrierNames = []string{"dhl", "ups", "fedex", "usps"}

// parcel is parcel j (of order i): its carrier and tracking number, which
// ends in j so the in-process carrier can find the journey again.
func (d *dataset) parcel(i, j int) store.Parcel {
	carrier := carrierNames[j%len(carrierNames)]
	var tn string
	switch carrier {
	case "dhl":
		tn = fmt.Sprintf("JD0146%012d", j)
	case "ups":
		tn = fmt.Sprintf("1Z%06X03%08d", j%0xFFFFFF, j)
	case "fedex":
		tn = fmt.Sprintf("7%011d", j)
	default:
		tn = fmt.Sprintf("9400111%015d", j)
	}
	return store.Parcel{
		Carrier: carrier, TrackingNumber: tn, Order: d.orderNumber(i),
		Direction: store.Outbound, Status: store.StatusPending,
		PromisedBy: d.placedAt(i).Add(4 * 24 * time.Hour),
	}
}

// parcelIndex reads a parcel's index back from its tracking number.
func parcelIndex(tn string, digits int) (int, error) {
	if len(tn) < digits {
		return 0, fmt.Errorf("tracking number %q is not one of the bench's", tn)
	}
	return strconv.Atoi(tn[len(tn)-digits:])
}

// troubles are the ways a journey goes wrong, each ending the journey's
// events early with the status that makes it an exception; about one
// journey in seven has one.
var troubles = []struct {
	status carriers.Status
	reason carriers.Reason
	text   string
}{
	{carriers.StatusAttemptFailed, carriers.ReasonNone, "Delivery attempt failed: recipient not at home"},
	{carriers.StatusAttemptFailed, carriers.ReasonAddressIssue, "Address could not be found"},
	{carriers.StatusException, carriers.ReasonCustomsHold, "Held by customs"},
	{carriers.StatusException, carriers.ReasonDamaged, "Shipment damaged"},
	{carriers.StatusException, carriers.ReasonLost, "Shipment cannot be located"},
	{carriers.StatusException, carriers.ReasonDelayed, "Delayed in transit"},
	{carriers.StatusReturning, carriers.ReasonRefused, "Refused by recipient; returning to sender"},
}

var hubs = []string{"Leipzig", "Köln", "Hannover", "Louisville", "Memphis", "East Midlands", "Paris", "Venlo"}

// plan is the shape of parcel j's journey: how many events it has, which
// trouble ends it (-1 for none), and the random stream that goes on to
// place its events.
func (d *dataset) plan(j int) (n, trouble int, r *rand.Rand) {
	r = d.rng(2, uint64(j))
	n = minEvents + r.IntN(maxEvents-minEvents+1)
	trouble = -1
	if r.IntN(7) == 0 {
		trouble, n = r.IntN(len(troubles)), n-1
		if d.settle {
			n++
		}
	}
	return n, trouble, r
}

// events is how many events the journeys of a span's orders have
// together.
func (d *dataset) events(s span) int {
	total := 0
	lo, hi := s.parcels(d)
	for j := lo; j < hi; j++ {
		n, _, _ := d.plan(j)
		total += n
	}
	return total
}

// journey is parcel j (of order i)'s whole event history, oldest first.
func (d *dataset) journey(i, j int) []carriers.Event {
	n, trouble, r := d.plan(j)
	// Carriers stamp scans to the second.
	at := d.placedAt(i).Add(time.Duration(2+r.IntN(20)) * time.Hour).Truncate(time.Second)
	events := make([]carriers.Event, 0, n)
	add := func(code string, s carriers.Status, reason carriers.Reason, text, city string) {
		events = append(events, carriers.Event{
			Time: at, TZKnown: true, LocalTime: at.Format("2006-01-02T15:04:05Z07:00"),
			RawCode: code, RawText: text, Status: s, Reason: reason, Rule: "bench/" + code,
			Location: carriers.Location{City: city, Country: "DE"},
		})
		at = at.Add(time.Duration(1+r.IntN(9)) * time.Hour)
	}
	add("pre-transit", carriers.StatusInfoReceived, carriers.ReasonNone, "Shipment information received", "")
	last := n - 2 // the out-for-delivery and delivered scans end a good journey
	if trouble >= 0 {
		last = n - 1 // the trouble scan ends a bad one
		if d.settle {
			last-- // and its settling scan
		}
	}
	for k := 0; len(events) < last; k++ {
		add("transit", carriers.StatusInTransit, carriers.ReasonNone, "Processed at hub", hubs[(j+k)%len(hubs)])
	}
	if trouble >= 0 {
		t := troubles[trouble]
		add("trouble", t.status, t.reason, t.text, hubs[j%len(hubs)])
		if d.settle {
			at = at.Add(time.Duration(2+r.IntN(4)) * 24 * time.Hour)
			if t.status == carriers.StatusReturning {
				add("returned", carriers.StatusReturned, carriers.ReasonRefused, "Returned to sender", "Leipzig")
			} else {
				add("delivered", carriers.StatusDelivered, carriers.ReasonNone, "Delivered", "Berlin")
			}
		}
		return events
	}
	add("ofd", carriers.StatusOutForDelivery, carriers.ReasonNone, "Out for delivery", "Berlin")
	add("delivered", carriers.StatusDelivered, carriers.ReasonNone, "Delivered", "Berlin")
	return events
}
