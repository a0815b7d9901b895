package todo

import (
	"fmt"
	"time"
)

// UndoWindow is how long an undoable action can be taken back. The record of what it changed is
// kept that long and then deleted.
const UndoWindow = 5 * time.Minute

// UndoKeep is how many undo records a user keeps at most (the newest); older ones are deleted on the
// user's next undoable action, even before they expire.
const UndoKeep = 10

// UndoAction is what an undoable action did.
type UndoAction string

const (
	UndoDelete   UndoAction = "delete"   // tasks deleted: undoing puts them back whole
	UndoComplete UndoAction = "complete" // completed flags set: undoing sets each back
)

// Undo is the record of an undoable action: what it did, to how many tasks, until when it can be
// taken back. ID 0: the action changed nothing, and there is nothing to undo.
type Undo struct {
	ID        int64
	Action    UndoAction
	Tasks     int
	Title     string // the task's title, when it was one task
	Completed bool   // for UndoComplete: the state the tasks were put in
	Until     time.Time
}

// ErrNoUndo: there is no such undo record for the user: undone already, expired, or never theirs.
// It is a kind of ErrNotFound, answered alike.
var ErrNoUndo = fmt.Errorf("%w: nothing to undo", ErrNotFound)

// ParseCompleted reads the optional "completed" field of the toggle actions: "true" or "false" sets
// that state; absent (present false) flips it. Any other value is invalid.
func ParseCompleted(raw string, present bool) (state *bool, err error) {
	if !present {
		return nil, nil
	}
	switch raw {
	case "true":
		v := true
		return &v, nil
	case "false":
		v := false
		return &v, nil
	}
	return nil, Invalid("completed", "“completed” must be true or false.")
}
