package todo

// Holds reports whether the page l names holds the task: the task is in the page's list (its filter)
// and comes after the page's start. A page shows a prefix of what it holds (up to where "Load more"
// stopped).
func (l List) Holds(t Task) bool { return l.Filter.Matches(t) && t.ID > l.After }
