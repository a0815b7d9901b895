package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"todo/todo"
	"todo/views"
	"todo/web/auth"
)

// The task actions. Each answers a plain form post with 303 back to the list page it came from
// (post/redirect/get) and an htmx request with the fragments that changed: the task's own <li>, and
// out of band everything that depends on the counts (views.ListUpdates).

// answer finishes a successful action. A plain form post is redirected to the list page back, with
// flash (if any) shown there; an htmx request gets the fragment, which is built only then (it may
// read the database, and may fail).
func (s *server) answer(w http.ResponseWriter, r *http.Request, back todo.List, flash string, fragment func() (templ.Component, error)) {
	s.answerAt(w, r, back, "", flash, fragment)
}

// answerAt is answer whose redirect goes to an element of the list page (anchor: its id, "" for
// none), so that the browser shows the place the person was at.
func (s *server) answerAt(w http.ResponseWriter, r *http.Request, back todo.List, anchor, flash string, fragment func() (templ.Component, error)) {
	if !isHTMX(r) {
		if flash != "" {
			s.flash.Add(w, r, flash)
		}
		to := back.URL()
		if anchor != "" {
			to += "#" + anchor
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	c, err := fragment()
	if err != nil {
		s.failTasks(w, r, err)
		return
	}
	render(w, r, http.StatusOK, c)
}

// newTaskForm is an empty new-task form with a fresh nonce.
func (s *server) newTaskForm(ret string) views.TaskForm {
	return views.TaskForm{Return: ret, Nonce: auth.NewID()}
}

// handleCreateTask adds a task (POST /tasks).
func (s *server) handleCreateTask() http.Handler {
	recent := newSubmissions()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, err := readForm(r, append(taskFormFields, "return", "nonce", "more")...)
		var invalid *todo.ValidationError
		if errors.As(err, &invalid) { // a field sent twice, a body that is not a form
			s.refuseNewTask(w, r, s.returnTarget(r, r.PostForm.Get("return")), nil, invalid)
			return
		}
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		back := s.returnTarget(r, form["return"])
		tasks := s.tasksOf(r)
		key := nonceKey(tasks.UserID(), form["nonce"])
		if !recent.claim(key, time.Now()) {
			// This very form was already sent and its task added: answer as if again, add nothing.
			if isHTMX(r) {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			http.Redirect(w, r, back.URL(), http.StatusSeeOther)
			return
		}
		task, counts, err := tasks.CreateCounted(r.Context(), taskInput(form))
		if err != nil {
			recent.release(key)
			if errors.As(err, &invalid) {
				s.refuseNewTask(w, r, back, form, invalid)
				return
			}
			s.failTasks(w, r, err)
			return
		}
		v := views.ListView{List: back, Counts: counts, Return: back.URL()}
		// A new task is always shown: a plain add whose page does not reach the end of the list goes
		// to the last page, at the task.
		to, anchor, flash := back, "", ""
		if !back.Filter.Matches(task) {
			flash = addedNote(back.Filter, task)
		} else if !isHTMX(r) && !visibleAfterAdd(back, v.Counts, task) {
			to, anchor = s.lastPage(r, back), views.TaskAnchor(task.ID)
		}
		s.answerAt(w, r, to, anchor, flash, func() (templ.Component, error) {
			fresh := s.newTaskForm(back.URL())
			if shownIn(back, task) && back.Sort == todo.ByCreated && !back.Desc && form["more"] == "" {
				// The list on screen reaches its end: the new task goes there.
				return templ.Join(views.NewTaskForm(fresh), views.AppendTask(task), views.ListUpdates(v), views.FlashesOOB()), nil
			}
			if back.Filter.Matches(task) {
				// The list on screen stops before its end: it is drawn anew as its last page, which
				// ends with the new task, and the address says so.
				last, err := s.listView(r, s.lastPage(r, back))
				if err != nil {
					return nil, err
				}
				w.Header().Set("HX-Push-Url", last.List.URL())
				fresh.Return = last.Return
				return templ.Join(views.NewTaskForm(fresh), views.TodoAppOOB(last), views.FlashesOOB(addedNote(back.Filter, task))), nil
			}
			// Not in this filter, or beyond the pages on screen: say where it went.
			fresh.Notice = addedNote(back.Filter, task)
			return templ.Join(views.NewTaskForm(fresh), views.ListUpdates(v), views.FlashesOOB()), nil
		})
	})
}

// refuseNewTask answers invalid new-task input with 422: the form again, with what was typed and
// what is wrong, alone for htmx or on the whole list page.
func (s *server) refuseNewTask(w http.ResponseWriter, r *http.Request, back todo.List, form map[string]string, invalid *todo.ValidationError) {
	f := s.newTaskForm(back.URL())
	f.Title, f.Description = form["title"], form["description"]
	f.DueDate, f.Priority, f.Tags = form["due_date"], form["priority"], form["tags"]
	f.Field, f.Error = invalid.Field, invalid.Message
	if isHTMX(r) {
		render(w, r, http.StatusUnprocessableEntity, views.NewTaskForm(f))
		return
	}
	v, err := s.listView(r, back)
	if err != nil {
		s.failTasks(w, r, err)
		return
	}
	s.renderList(w, r, http.StatusUnprocessableEntity, v, f)
}

// visibleAfterAdd tells whether the page a plain add returns to shows the new task: it must match
// the filter, and that page must be the last.
func visibleAfterAdd(back todo.List, c todo.Counts, t todo.Task) bool {
	return shownIn(back, t) && back.After == 0 && back.Sort == todo.ByCreated && !back.Desc && !back.Narrowed() &&
		c.Of(back.Filter) <= todo.PageSize
}

// lastPage is the last page of back's list; on a failure to find it, the first page (the add still
// answers; the person sees the list).
func (s *server) lastPage(r *http.Request, back todo.List) todo.List {
	// Only the list in the order tasks were added, unsearched, ends with the newest task; any other
	// list is shown from its start.
	if back.Search != (todo.Search{}) {
		return back.First()
	}
	after, err := s.tasksOf(r).LastPage(r.Context(), back.Filter)
	if err != nil {
		return back.First()
	}
	return back.Page(todo.Keyset{ID: after})
}

func addedNote(f todo.Filter, t todo.Task) string {
	if !f.Matches(t) {
		return "Added “" + t.Title + "” to your active tasks."
	}
	return "Added “" + t.Title + "” at the end of the list."
}

// readTask is the prologue of GET /tasks/{id} and /tasks/{id}/edit: the user's task the path names.
func (s *server) readTask(w http.ResponseWriter, r *http.Request) (todo.Task, bool) {
	id, err := taskID(r)
	if err == nil {
		var t todo.Task
		if t, err = s.tasksOf(r).Get(r.Context(), id); err == nil {
			return t, true
		}
	}
	s.failTasks(w, r, err)
	return todo.Task{}, false
}

// handleShowTask answers GET /tasks/{id}: for htmx the task's list item (what "Cancel" puts back
// after inline editing); otherwise the list it belongs to.
func (s *server) handleShowTask() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		task, ok := s.readTask(w, r)
		if !ok {
			return
		}
		if !wantsFragment(r) {
			http.Redirect(w, r, s.returnTarget(r, "").URL(), http.StatusSeeOther)
			return
		}
		render(w, r, http.StatusOK, views.TaskItem(task))
	})
}

// handleEditTask answers GET /tasks/{id}/edit: the task as an inline form for htmx, else a page.
func (s *server) handleEditTask() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		task, ok := s.readTask(w, r)
		if !ok {
			return
		}
		s.renderEdit(w, r, http.StatusOK, views.NewEditForm(task, s.returnTarget(r, "").URL()))
	})
}

func (s *server) renderEdit(w http.ResponseWriter, r *http.Request, status int, e views.EditForm) {
	if wantsFragment(r) {
		render(w, r, status, views.TaskEditItem(e))
		return
	}
	render(w, r, status, views.EditPage(s.chrome(w, r, "Edit “"+e.Task.Title+"”"), e))
}

// handleUpdateTask saves a task's title and description (POST /tasks/{id}).
func (s *server) handleUpdateTask() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := taskID(r)
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		form, err := readForm(r, append(taskFormFields, "return")...)
		var invalid *todo.ValidationError
		if err != nil && !errors.As(err, &invalid) {
			s.failTasks(w, r, err)
			return
		}
		back := s.returnTarget(r, form["return"])
		tasks := s.tasksOf(r)
		var task todo.Task
		if invalid == nil {
			task, err = tasks.Update(r.Context(), id, taskInput(form))
		}
		if invalid != nil || errors.As(err, &invalid) {
			// The input is refused before the database; a missing or foreign task still answers 404.
			stored, err := tasks.Get(r.Context(), id)
			if err != nil {
				s.failTasks(w, r, err)
				return
			}
			e := views.NewEditForm(stored, back.URL())
			e.Title, e.Description = form["title"], form["description"]
			// What was typed, for the fields the form sent; the stored value for the others.
			for name, typed := range map[string]*string{"due_date": &e.DueDate, "priority": &e.Priority, "tags": &e.Tags} {
				if v, ok := form[name]; ok {
					*typed = v
				}
			}
			e.Field, e.Error = invalid.Field, invalid.Message
			s.renderEdit(w, r, http.StatusUnprocessableEntity, e)
			return
		}
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		s.answer(w, r, back, "Saved “"+task.Title+"”.", func() (templ.Component, error) {
			return templ.Join(s.itemIn(back, task), views.FlashesOOB()), nil
		})
	})
}

// itemIn is the task's <li> for the list back shows, or nothing when the task has left that list (an
// empty answer removes the <li>).
func (s *server) itemIn(back todo.List, t todo.Task) templ.Component {
	if shownIn(back, t) {
		return views.TaskItem(t)
	}
	return templ.NopComponent
}

// readTaskAction reads what an action on one task (toggle, delete) needs from its request: the
// task id and the list page the answer leads back to.
func (s *server) readTaskAction(r *http.Request) (int64, todo.List, error) {
	id, err := taskID(r)
	if err != nil {
		return 0, todo.List{}, err
	}
	form, err := readForm(r, "return")
	if err != nil {
		return 0, todo.List{}, err
	}
	return id, s.returnTarget(r, form["return"]), nil
}

// handleToggleTask sets one task active or completed (POST /tasks/{id}/toggle): to the state the
// "completed" field names (so a second send, or a stale tab, changes nothing), or without it flips
// it. On a filtered list the task leaves the view. A plain post comes back to the task's place.
func (s *server) handleToggleTask() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, back, err := s.readTaskAction(r)
		var state *bool
		if err == nil {
			state, err = readCompleted(r)
		}
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		tasks := s.tasksOf(r)
		var task todo.Task
		if state != nil {
			task, err = tasks.SetCompleted(r.Context(), id, *state)
		} else {
			task, err = tasks.Toggle(r.Context(), id)
		}
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		anchor := ""
		if back.Filter.Matches(task) {
			anchor = views.TaskAnchor(task.ID)
		}
		s.answerAt(w, r, back, anchor, "", func() (templ.Component, error) {
			counts, err := tasks.Counts(r.Context())
			v := views.ListView{List: back, Counts: counts, Return: back.URL()}
			return templ.Join(s.itemIn(back, task), views.ListUpdates(v), views.FlashesOOB()), err
		})
	})
}

// handleDeleteTask deletes one task (POST /tasks/{id}/delete).
func (s *server) handleDeleteTask() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, back, err := s.readTaskAction(r)
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		tasks := s.tasksOf(r)
		u, err := tasks.DeleteUndoable(r.Context(), id)
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		s.undoable(w, r, back, u, "Deleted “"+u.Title+"”.", func() (templ.Component, error) {
			counts, err := tasks.Counts(r.Context())
			if err != nil {
				return nil, err
			}
			return views.ListUpdates(views.ListView{List: back, Counts: counts, Return: back.URL()}), nil
		})
	})
}

// handleToggleAll puts every task in the state the "completed" field names, or without it completes
// every task, or reopens all when all are done (POST /tasks/toggle-all).
func (s *server) handleToggleAll() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, err := readForm(r, "return")
		var state *bool
		if err == nil {
			state, err = readCompleted(r)
		}
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		back := s.returnTarget(r, form["return"])
		u, err := s.tasksOf(r).SetAllCompleted(r.Context(), state)
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		word := "active"
		if u.Completed {
			word = "complete"
		}
		message := "Marked " + tasksCount(int64(u.Tasks)) + " " + word + "."
		if u.Tasks == 0 {
			message = "Every task was " + word + " already."
		}
		s.bulkDone(w, r, back, u, message)
	})
}

// handleClearCompleted deletes the completed tasks (POST /tasks/clear-completed).
func (s *server) handleClearCompleted() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, err := readForm(r, "return")
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		back := s.returnTarget(r, form["return"])
		u, err := s.tasksOf(r).ClearCompletedUndoable(r.Context())
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		message := "Deleted " + strconv.Itoa(u.Tasks) + " completed tasks."
		switch u.Tasks {
		case 0:
			message = "There was no completed task to delete."
		case 1:
			message = "Deleted 1 completed task."
		}
		s.bulkDone(w, r, back, u, message)
	})
}

// bulkDone answers an action that changed many tasks: back to the list with the offer to undo, or
// for htmx the list's first page drawn anew.
func (s *server) bulkDone(w http.ResponseWriter, r *http.Request, back todo.List, u todo.Undo, message string) {
	s.undoable(w, r, back, u, message, func() (templ.Component, error) {
		v, err := s.listView(r, back.First())
		return views.TodoApp(v), err
	})
}

// readCompleted reads the optional "completed" field of the toggle actions (todo.ParseCompleted).
func readCompleted(r *http.Request) (*bool, error) {
	form, err := readForm(r, "completed")
	if err != nil {
		return nil, err
	}
	_, present := r.PostForm["completed"]
	return todo.ParseCompleted(form["completed"], present)
}

func tasksCount(n int64) string {
	if n == 1 {
		return "1 task"
	}
	return strconv.FormatInt(n, 10) + " tasks"
}
