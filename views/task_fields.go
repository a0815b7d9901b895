package views

import (
	"strconv"
	"strings"

	"todo/todo"
)

// dueWords is a due date as a person reads it beside a task: "Today", "Tomorrow", "Yesterday",
// "Fri 12 Dec" (with the year when it is not this year's), or for an open task whose day has passed
// "3 days overdue"; late reports that.
func dueWords(t todo.Task, today todo.Date) (words string, late bool) {
	d := t.DueDate
	days := d.DaysAfter(today)
	if days < 0 && !t.Completed {
		if days == -1 {
			return "1 day overdue", true
		}
		return strconv.Itoa(-days) + " days overdue", true
	}
	switch days {
	case 0:
		return "Today", false
	case 1:
		return "Tomorrow", false
	case -1:
		return "Yesterday", false
	}
	if d.Time().Year() != today.Time().Year() {
		return d.Time().Format("Mon 2 Jan 2006"), false
	}
	return d.Time().Format("Mon 2 Jan"), false
}

// dueTitle is the full date, for the tooltip and screen readers: "Due Friday 12 December 2026".
func dueTitle(d todo.Date) string { return "Due " + d.Time().Format("Monday 2 January 2006") }

// tagsAttr is data-tags: the tags in their stored order, separated by spaces.
// hasMeta tells whether a task has a due date, a priority or tags to show beside its title.
func hasMeta(t todo.Task) bool {
	return !t.DueDate.IsZero() || t.Priority != todo.PriorityNone || len(t.Tags) > 0
}

func tagsAttr(tags []string) string { return strings.Join(tags, " ") }

// priorityOptions are the choices of a priority select.
var priorityOptions = todo.Priorities

// matchText says how many tasks a search matches: "1 task matches", "12 tasks match", "More than
// 100 tasks match".
func matchText(n, cap int) string {
	switch {
	case n > cap:
		return "More than " + strconv.Itoa(cap) + " tasks match"
	case n == 1:
		return "1 task matches"
	}
	return strconv.Itoa(n) + " tasks match"
}

// matchCap is where MatchCount stops counting.
const matchCap = todo.MatchCountCap

// today is the date due dates are shown against.
func today() todo.Date { return todo.Today() }

// dateInputValue is what a date input may hold: a valid YYYY-MM-DD, else nothing (a refused value
// is named by the error message next to the field; a date input cannot show it).
func dateInputValue(due string) string {
	if _, ok := todo.ParseDate(due); ok {
		return due
	}
	return ""
}
