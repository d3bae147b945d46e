package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/wismo/wismo/store"
)

// Geometry of the picture's rows. A sparkline takes at most three cells a
// day and a bar at most barMax: wider ones read no better.
const (
	sparkLabelWidth = 18
	sparkPerDay     = 3
	barMax          = 40
	carrierWidth    = 12
	shippedWidth    = 8
	deliveredWidth  = 10
	onTimeWidth     = 5
	excRateWidth    = 11
)

// On-time rates at or above onTimeGood need no attention; below
// onTimeFair they need it now.
const (
	onTimeGood = 0.95
	onTimeFair = 0.85
)

// section is one block of the picture: a heading line over rows, the most
// telling first.
type section struct {
	head  string
	rows  []string
	empty string // said when there are no rows
	noun  string // what a row is, for the line that stands for rows cut
	note  string // under the rows; the first thing dropped when short
}

// sections are the picture's blocks at a width: the two about exceptions
// first (the left column when wide), then carriers and notifications.
func (p *supervisorPane) sections(width int) []section {
	d := p.stats
	return []section{
		p.sparkSection("Opened by kind", "more kinds", store.MetricExceptionKind, kindValues(d), kindName, width),
		p.sparkSection("Opened by carrier", "more carriers", store.MetricExceptionCarrier,
			byTotal(d, store.MetricExceptionCarrier, d.Values(store.MetricExceptionCarrier)), nil, width),
		p.carrierSection(width),
		p.notifySection(width),
	}
}

// kindValues are the kinds opened in the range, worst first.
func kindValues(d store.DailyStats) []string {
	var out []string
	for _, k := range store.Kinds {
		if d.Total(store.MetricExceptionKind, string(k)) > 0 {
			out = append(out, string(k))
		}
	}
	return byTotal(d, store.MetricExceptionKind, out)
}

func kindName(v string) string { return kindLabel(store.ExceptionKind(v)) }

// byTotal orders values by their total in the range, largest first; ties
// keep the order given.
func byTotal(d store.DailyStats, m store.Metric, values []string) []string {
	slices.SortStableFunc(values, func(a, b string) int { return d.Total(m, b) - d.Total(m, a) })
	return values
}

// sparkSection is one sparkline per value of m with its total.
func (p *supervisorPane) sparkSection(title, noun string, m store.Metric, values []string, name func(string) string, width int) section {
	d, s := p.stats, p.styles
	valueWidth := len("total")
	for _, v := range values {
		valueWidth = max(valueWidth, len(fmt.Sprint(d.Total(m, v))))
	}
	width = p.sparkWidth(width, valueWidth)
	sec := section{head: p.axisRow(title, "total", valueWidth, width), noun: noun,
		empty: fmt.Sprintf("Nothing opened in these %d days.", d.Days)}
	for _, v := range values {
		label := v
		if name != nil {
			label = name(v)
		}
		sec.rows = append(sec.rows, sparkRow(s, label, sparkLabelWidth, d.Series(m, v), fmt.Sprint(d.Total(m, v)), valueWidth, width))
	}
	return sec
}

// sparkWidth is the width of a sparkline row: all there is, up to three
// cells a day.
func (p *supervisorPane) sparkWidth(width, valueWidth int) int {
	return min(width, sparkLabelWidth+valueWidth+2+sparkPerDay*p.stats.Days)
}

// axisRow heads a sparkline section: its title over the labels, the first
// and last day shown over the sparklines, what the values are over them.
func (p *supervisorPane) axisRow(title, value string, valueWidth, width int) string {
	s, d := p.styles, p.stats
	return chartRow(s.Section.Render(title), sparkLabelWidth, s.Label.Render(value), valueWidth, width, func(w int) string {
		shown := min(d.Days, w)
		span := shown * (w / max(shown, 1))
		first, last := d.From.AddDate(0, 0, d.Days-shown).Format("02 Jan"), d.From.AddDate(0, 0, d.Days-1).Format("02 Jan")
		axis := ""
		switch {
		case span >= len(first)+1+len(last):
			axis = first + strings.Repeat(" ", span-len(first)-len(last)) + last
		case span >= len(last):
			axis = padLeft(last, span)
		}
		return s.Label.Render(padRight(axis, w))
	})
}

// carrierSection is a row per carrier: parcels shipped and delivered, the
// share of judged deliveries on time as a bar, and exceptions opened per
// parcel shipped.
func (p *supervisorPane) carrierSection(width int) section {
	d, s := p.stats, p.styles
	left := carrierWidth + shippedWidth + deliveredWidth
	right := onTimeWidth + excRateWidth
	width = min(width, left+right+2+barMax)
	head := s.Section.Render(padRight("Carriers", carrierWidth)) +
		s.Label.Render(padLeft("shipped", shippedWidth)+padLeft("delivered", deliveredWidth))
	sec := section{noun: "more carriers", empty: fmt.Sprintf("No parcel shipped or delivered in these %d days.", d.Days),
		head: chartRow(head, left, s.Label.Render(padLeft("exc. rate", excRateWidth)), right, width, func(w int) string {
			return s.Label.Render(padRight("on time", w))
		})}
	unjudged := 0
	for _, c := range carrierValues(d) {
		r := carrierOf(d, c)
		unjudged += r.unjudged
		onTime, judged := r.onTime, r.onTime+r.late
		row := padRight(c, carrierWidth) + padLeft(fmt.Sprint(r.shipped), shippedWidth) + padLeft(fmt.Sprint(r.delivered()), deliveredWidth)
		rates := padLeft(percent(onTime, judged), onTimeWidth) + padLeft(percent(r.opened, r.shipped), excRateWidth)
		sec.rows = append(sec.rows, barRow(s, s.Value.Render(row), left, ratio(onTime, judged), p.rateStyle(onTime, judged), s.Value.Render(rates), right, width))
	}
	if unjudged > 0 {
		sec.note = s.Subtle.Render(fmt.Sprintf("On time judges deliveries by the promise, else the first ETA; %d had neither.", unjudged))
	}
	return sec
}

// carrierRow is one carrier's totals over the range.
type carrierRow struct{ shipped, onTime, late, unjudged, opened int }

func (r carrierRow) delivered() int { return r.onTime + r.late + r.unjudged }

func carrierOf(d store.DailyStats, c string) carrierRow {
	return carrierRow{
		shipped: d.Total(store.MetricShipped, c), opened: d.Total(store.MetricExceptionCarrier, c),
		onTime: d.Total(store.MetricOnTime, c), late: d.Total(store.MetricLate, c), unjudged: d.Total(store.MetricUnjudged, c),
	}
}

// carrierValues are the carriers with anything counted, most shipped
// first.
func carrierValues(d store.DailyStats) []string {
	return byTotal(d, store.MetricShipped, union(d, store.MetricShipped, store.MetricExceptionCarrier,
		store.MetricOnTime, store.MetricLate, store.MetricUnjudged))
}

// union is every value counted under any of ms, sorted.
func union(d store.DailyStats, ms ...store.Metric) []string {
	var out []string
	for _, m := range ms {
		out = append(out, d.Values(m)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// rateStyle colours an on-time bar by how much attention it needs; its
// length says the same without colour.
func (p *supervisorPane) rateStyle(n, of int) lipgloss.Style {
	switch r := ratio(n, of); {
	case of == 0 || r >= onTimeGood:
		return p.styles.Good
	case r >= onTimeFair:
		return p.styles.Severity[store.SeverityMedium]
	}
	return p.styles.Severity[store.SeverityHigh]
}

// notifySection is a row per channel: failures per day, and how many of
// the channel's messages failed.
func (p *supervisorPane) notifySection(width int) section {
	d, s := p.stats, p.styles
	channels := byTotal(d, store.MetricNotifyFailed, union(d, store.MetricNotifySent, store.MetricNotifyFailed))
	values := make([]string, len(channels))
	valueWidth := len("failed of all")
	for i, c := range channels {
		failed := d.Total(store.MetricNotifyFailed, c)
		all := failed + d.Total(store.MetricNotifySent, c)
		values[i] = fmt.Sprintf("%d of %d · %s", failed, all, percent(failed, all))
		valueWidth = max(valueWidth, lipgloss.Width(values[i]))
	}
	width = p.sparkWidth(width, valueWidth)
	sec := section{head: p.axisRow("Failed messages", "failed of all", valueWidth, width), noun: "more channels",
		empty: fmt.Sprintf("No message sent or failed in these %d days.", d.Days)}
	for i, c := range channels {
		sec.rows = append(sec.rows, sparkRow(s, c, sparkLabelWidth, d.Series(store.MetricNotifyFailed, c), values[i], valueWidth, width))
	}
	return sec
}

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// percent is n of of as a percentage, with a decimal below 10 %; a dash
// when there is nothing to divide by.
func percent(n, of int) string {
	if of == 0 {
		return "—"
	}
	v := 100 * ratio(n, of)
	if v < 9.95 {
		return fmt.Sprintf("%.1f%%", v)
	}
	return fmt.Sprintf("%.0f%%", v)
}

// fitSections stacks sections in height lines. Short of room it drops the
// blank lines between sections, then their notes, then cuts rows from the
// longest section, a line saying how many are left out standing for them.
func fitSections(s *Styles, secs []section, height int) string {
	limits := make([]int, len(secs))
	for i, sec := range secs {
		limits[i] = max(len(sec.rows), 1)
	}
	gaps, notes := true, true
	if sectionLines(secs, limits, gaps, notes) > height {
		gaps = false
	}
	if sectionLines(secs, limits, gaps, notes) > height {
		notes = false
	}
	for sectionLines(secs, limits, gaps, notes) > height {
		i := longest(limits)
		if limits[i] <= 2 {
			break
		}
		limits[i]--
	}
	var blocks []string
	for i, sec := range secs {
		blocks = append(blocks, sec.render(s, limits[i], notes))
		if gaps && i < len(secs)-1 {
			blocks = append(blocks, "")
		}
	}
	return clampLines(strings.Join(blocks, "\n"), height)
}

// sectionLines is how many lines secs take with limits rows each.
func sectionLines(secs []section, limits []int, gaps, notes bool) int {
	n := 0
	for i, sec := range secs {
		n += 1 + limits[i]
		if notes && sec.note != "" {
			n++
		}
	}
	if gaps {
		n += len(secs) - 1
	}
	return n
}

func longest(limits []int) int {
	best := 0
	for i, l := range limits {
		if l > limits[best] {
			best = i
		}
	}
	return best
}

// render draws the section in 1+limit lines, and its note if notes.
func (sec section) render(s *Styles, limit int, notes bool) string {
	lines := []string{sec.head}
	switch {
	case len(sec.rows) == 0:
		lines = append(lines, s.Subtle.Render(sec.empty))
	case len(sec.rows) <= limit:
		lines = append(lines, sec.rows...)
	default:
		lines = append(lines, sec.rows[:limit-1]...)
		lines = append(lines, s.Subtle.Render(fmt.Sprintf("… %d %s", len(sec.rows)-limit+1, sec.noun)))
	}
	if notes && sec.note != "" {
		lines = append(lines, sec.note)
	}
	return strings.Join(lines, "\n")
}

// besides sets right beside left, right's lines starting at column at.
// It joins line by line: lipgloss.JoinHorizontal measures every line of
// both blocks again, which is most of the cost of drawing the picture.
func besides(left, right string, at int) string {
	ls, rs := strings.Split(left, "\n"), strings.Split(right, "\n")
	out := make([]string, max(len(ls), len(rs)))
	for i := range out {
		l, r := "", ""
		if i < len(ls) {
			l = ls[i]
		}
		if i < len(rs) {
			r = rs[i]
		}
		out[i] = padRight(l, at) + r
	}
	return strings.Join(out, "\n")
}
