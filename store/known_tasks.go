package store

import (
	lru "github.com/hashicorp/golang-lru/v2"

	"todo/todo"
)

// knownTasks holds the tasks of recently read sorted, tagged and densely searched pages as they were
// read, and of recent writes as they were written (writtenColumns), each with the version of its row
// (tasks.version: a number from a sequence that every insert and every update gives the row anew,
// so no two states of any task ever share one; a tag's pairs carry it too). Such a page is first
// read as the ids and versions of its tasks (and sort keys), from an index alone where it holds them
// (see readsIndexOnly); when every one of its tasks is held at exactly that version, the page is
// those tasks, read without visiting the table. In any order but created, a page's rows were
// written at different times and each lies on its own heap page, which made reading a 100,000-task
// list by due date a third dearer than a short list in created order (a tag's pairs lie a few to a
// page; a dense search's window checks its rows either way, but need not send them).
//
// What is held can never be stale: a task that changed has a new version, which nothing held
// matches, and then the page is read whole from the table (and held anew). So each instance keeps
// its own tasks without coordination, and an entry is found only by the user who owns the task
// (the versions are read under that user's row-level security, and the entry names its owner).
type knownTasks struct {
	held *lru.Cache[int64, knownTask]
}

type knownTask struct {
	owner   string
	version int64
	task    todo.Task
}

// knownTasksKept bounds the memory: as many tasks as views keeps rendered items, some 4 MB at the
// lengths people write.
const knownTasksKept = 10_000

func newKnownTasks() *knownTasks {
	c, _ := lru.New[int64, knownTask](knownTasksKept) // errors only for a size below 1
	return &knownTasks{held: c}
}

// get is the task id of owner as held at version, if it is.
func (k *knownTasks) get(owner string, id, version int64) (todo.Task, bool) {
	e, ok := k.held.Get(id)
	if !ok || e.version != version || e.owner != owner {
		return todo.Task{}, false
	}
	return e.task, true
}

// put holds t, read at version, for owner.
func (k *knownTasks) put(owner string, version int64, t todo.Task) {
	k.held.Add(t.ID, knownTask{owner: owner, version: version, task: t})
}

// versionRow is one row of a sorted page read from its index: a task's id and version, and the
// page's sort key of it (the title sort's keyset needs it; other sorts' are read from the task).
type versionRow struct {
	id, version int64
	key         string
}
