package ups

import (
	"testing"
	"time"
)

func TestActivityTime(t *testing.T) {
	ny := Location{Address: Address{City: "Albany", StateProvince: "NY", CountryCode: "US"}}
	tests := []struct {
		name    string
		a       Activity
		want    string
		tzKnown bool
	}{
		{"gmt HH:MM:SS", Activity{Date: "20240202", Time: "084714", GMTDate: "20240202", GMTTime: "16:47:14"}, "2024-02-02T16:47:14Z", true},
		{"gmt HHMMSS", Activity{GMTDate: "20240202", GMTTime: "164714"}, "2024-02-02T16:47:14Z", true},
		{"gmt HMMSS", Activity{Date: "20210209", Time: "234700", GMTDate: "20210210", GMTTime: "74700"}, "2021-02-10T07:47:00Z", true},
		{"gmt H:MM:SS", Activity{GMTDate: "20210210", GMTTime: "7:47:00"}, "2021-02-10T07:47:00Z", true},
		{"gmt next day", Activity{Date: "20240131", Time: "173405", GMTDate: "20240201", GMTTime: "01:34:05"}, "2024-02-01T01:34:05Z", true},
		{"offset colon", Activity{Date: "20240131", Time: "173405", GMTOffset: "-08:00"}, "2024-02-01T01:34:05Z", true},
		{"offset dot", Activity{Date: "20240711", Time: "101200", GMTOffset: "-04.00"}, "2024-07-11T14:12:00Z", true},
		{"offset compact", Activity{Date: "20240711", Time: "101200", GMTOffset: "+0530"}, "2024-07-11T04:42:00Z", true},
		{"zone from state", Activity{Date: "20240711", Time: "101200", Location: ny}, "2024-07-11T14:12:00Z", false},
		{"zone from country field", Activity{Date: "20240111", Time: "101200",
			Location: Location{Address: Address{Country: "GB"}}}, "2024-01-11T10:12:00Z", false},
		{"bad offset falls to zone", Activity{Date: "20240711", Time: "101200", GMTOffset: "-04.75", Location: ny}, "2024-07-11T14:12:00Z", false},
		{"no place is UTC", Activity{Date: "20240711", Time: "101200"}, "2024-07-11T10:12:00Z", false},
		{"US without state is UTC", Activity{Date: "20240711", Time: "101200",
			Location: Location{Address: Address{CountryCode: "US"}}}, "2024-07-11T10:12:00Z", false},
		{"gmt time missing", Activity{Date: "20240711", Time: "101200", GMTDate: "20240711", Location: ny}, "2024-07-11T14:12:00Z", false},
		{"local spaces", Activity{Date: " 20240711 ", Time: "101200 "}, "2024-07-11T10:12:00Z", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, known, err := activityTime(tt.a)
			if err != nil {
				t.Fatalf("activityTime: %v", err)
			}
			if got.Format(time.RFC3339) != tt.want || known != tt.tzKnown || got.Location() != time.UTC {
				t.Errorf("= %s known=%v, want %s known=%v", got.Format(time.RFC3339), known, tt.want, tt.tzKnown)
			}
		})
	}
}

func TestActivityTimeErrors(t *testing.T) {
	for _, a := range []Activity{
		{},
		{Date: "20240711"},
		{Date: "2024-07-11", Time: "10:12:00"},
		{Date: "20240711", Time: "251200"},
		{Date: "20240711", Time: "10:1:00"},
		{Date: "20240711", Time: "1012"},
		{Date: "string", Time: "string", GMTDate: "string", GMTTime: "string"},
	} {
		if got, _, err := activityTime(a); err == nil {
			t.Errorf("activityTime(%+v) = %v, want an error", a, got)
		}
	}
}

func TestOffsetZone(t *testing.T) {
	tests := map[string]int{"-08:00": -8 * 3600, "-04.00": -4 * 3600, "+05:30": 5*3600 + 30*60, "+0545": 5*3600 + 45*60, "-05": -5 * 3600}
	for s, want := range tests {
		loc, ok := offsetZone(s)
		if !ok {
			t.Errorf("offsetZone(%q) refused", s)
			continue
		}
		if _, off := time.Date(2024, 1, 1, 0, 0, 0, 0, loc).Zone(); off != want {
			t.Errorf("offsetZone(%q) = %ds, want %ds", s, off, want)
		}
	}
	for _, s := range []string{"", "string", "08:00", "-08:60", "-15:00", "-4.5", "+-1:00", "-08:0a"} {
		if _, ok := offsetZone(s); ok {
			t.Errorf("offsetZone(%q) accepted", s)
		}
	}
}

func TestEstimatedDelivery(t *testing.T) {
	dest := []PackageAddress{{Type: "destination", Address: Address{StateProvince: "CA", CountryCode: "US"}}}
	tests := []struct {
		name string
		p    Package
		want string
	}{
		{"none", Package{}, "0001-01-01T00:00:00Z"},
		{"scheduled date only", Package{DeliveryDate: []DeliveryDate{{Type: "SDD", Date: "20240305"}}}, "2024-03-05T00:00:00Z"},
		{"rescheduled beats scheduled", Package{DeliveryDate: []DeliveryDate{{Type: "RDD", Date: "20240306"}, {Type: "SDD", Date: "20240305"}}}, "2024-03-06T00:00:00Z"},
		{"delivered date is no estimate", Package{DeliveryDate: []DeliveryDate{{Type: "DEL", Date: "20240305"}}}, "0001-01-01T00:00:00Z"},
		{"window end at destination", Package{PackageAddress: dest, DeliveryDate: []DeliveryDate{{Type: "SDD", Date: "20240305"}},
			DeliveryTime: &DeliveryTime{Type: "EDW", StartTime: "090000", EndTime: "130000"}}, "2024-03-05T21:00:00Z"},
		{"end of day has no time", Package{PackageAddress: dest, DeliveryDate: []DeliveryDate{{Type: "SDD", Date: "20240305"}},
			DeliveryTime: &DeliveryTime{Type: "EOD"}}, "2024-03-05T00:00:00Z"},
		{"delivered time ignored", Package{DeliveryDate: []DeliveryDate{{Type: "SDD", Date: "20240305"}},
			DeliveryTime: &DeliveryTime{Type: "DEL", EndTime: "130000"}}, "2024-03-05T00:00:00Z"},
		{"unreadable date", Package{DeliveryDate: []DeliveryDate{{Type: "SDD", Date: "soon"}}}, "0001-01-01T00:00:00Z"},
	}
	for _, tt := range tests {
		if got := estimatedDelivery(tt.p).Format(time.RFC3339); got != tt.want {
			t.Errorf("%s: ETA = %s, want %s", tt.name, got, tt.want)
		}
	}
}
