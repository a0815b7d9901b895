package views

import (
	"strconv"
	"time"
)

// liveSince is when the page is rendered (Unix milliseconds): its stream catches up from there.
func liveSince() string { return strconv.FormatInt(time.Now().UnixMilli(), 10) }

// liveItem selects the list item of the task with this id.
func liveItem(id int64) string { return "li[data-task-id='" + idStr(id) + "']" }
