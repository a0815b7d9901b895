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
	if !isHTMX(r) {
		if flash != "" {
			s.flash.Add(w, r, flash)
		}
		http.Redirect(w, r, back.URL(), http.StatusSeeOther)
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
		task, err := tasks.Create(r.Context(), taskInput(form))
		if err != nil {
			recent.release(key)
			if errors.As(err, &invalid) {
				s.refuseNewTask(w, r, back, form, invalid)
				return
			}
			s.failTasks(w, r, err)
			return
		}
		// The counts read with the session, plus the new task: no second statement for them. (A change
		// made meanwhile in another tab shows on the next answer; the stored counts are always exact.)
		u, _ := currentUser(r.Context())
		v := views.ListView{List: back, Counts: u.Counts.Added(task), Return: back.URL()}
		flash := ""
		if !visibleAfterAdd(back, v.Counts, task) {
			flash = addedNote(back.Filter, task)
		}
		s.answer(w, r, back, flash, func() (templ.Component, error) {
			fresh := s.newTaskForm(back.URL())
			if shownIn(back, task) && back.Sort == todo.ByCreated && !back.Desc && form["more"] == "" {
				// The list on screen reaches its end: the new task goes there.
				return templ.Join(views.NewTaskForm(fresh), views.AppendTask(task), views.ListUpdates(v), views.FlashesOOB()), nil
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

// handleToggleTask flips one task between active and completed (POST /tasks/{id}/toggle). On a
// filtered list the task leaves the view.
func (s *server) handleToggleTask() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, back, err := s.readTaskAction(r)
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		tasks := s.tasksOf(r)
		task, err := tasks.Toggle(r.Context(), id)
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		s.answer(w, r, back, "", func() (templ.Component, error) {
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
		if err := tasks.Delete(r.Context(), id); err != nil {
			s.failTasks(w, r, err)
			return
		}
		const done = "Task deleted."
		s.answer(w, r, back, done, func() (templ.Component, error) {
			counts, err := tasks.Counts(r.Context())
			if err != nil {
				return nil, err
			}
			v := views.ListView{List: back, Counts: counts, Return: back.URL()}
			return templ.Join(views.ListUpdates(v), views.FlashesOOB(done)), nil
		})
	})
}

// handleToggleAll completes every task, or reopens all when all are done (POST /tasks/toggle-all).
func (s *server) handleToggleAll() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, err := readForm(r, "return")
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		back := s.returnTarget(r, form["return"])
		completed, changed, err := s.tasksOf(r).ToggleAll(r.Context())
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		state := "active"
		if completed {
			state = "complete"
		}
		s.bulkDone(w, r, back, "Marked "+tasksCount(changed)+" "+state+".")
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
		n, err := s.tasksOf(r).ClearCompleted(r.Context())
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		message := "Deleted " + strconv.FormatInt(n, 10) + " completed tasks."
		if n == 1 {
			message = "Deleted 1 completed task."
		}
		s.bulkDone(w, r, back, message)
	})
}

// bulkDone answers an action that changed many tasks: back to the list with a message, or for htmx
// the list's first page drawn anew.
func (s *server) bulkDone(w http.ResponseWriter, r *http.Request, back todo.List, message string) {
	s.answer(w, r, back, message, func() (templ.Component, error) {
		v, err := s.listView(r, back.First())
		return templ.Join(views.TodoApp(v), views.FlashesOOB(message)), err
	})
}

func tasksCount(n int64) string {
	if n == 1 {
		return "1 task"
	}
	return strconv.FormatInt(n, 10) + " tasks"
}
