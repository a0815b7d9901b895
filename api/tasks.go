package api

import (
	"errors"
	"net/http"
	"strconv"

	"todo/todo"
)

// The task endpoints. Each reaches tasks only through the authenticated user's handle (tasksOf), so a
// task of someone else is answered exactly like a missing one: 404.

// handleCreate adds a task (POST /api/{user_id}/tasks): 201 with the task and its Location.
func (a *API) handleCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		members, err := readObject(r, false)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		in, err := readTaskInput(members)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		tasks := a.tasksOf(r)
		t, err := tasks.CreateAs(r.Context(), in.Input, in.Completed)
		if errors.Is(err, todo.ErrNotFound) {
			err = errUserGone // a JWT outlives the account it names
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		w.Header().Set("Location", taskPath(tasks.UserID(), t.ID))
		writeJSON(w, http.StatusCreated, taskOf(tasks.UserID(), t))
	})
}

// handleGet answers one task (GET /api/{user_id}/tasks/{id}).
func (a *API) handleGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := taskID(r)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		tasks := a.tasksOf(r)
		t, err := tasks.Get(r.Context(), id)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, taskOf(tasks.UserID(), t))
	})
}

// handleReplace sets every field of a task (PUT /api/{user_id}/tasks/{id}); a field left out is
// reset to its default.
func (a *API) handleReplace() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := taskID(r)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		members, err := readObject(r, false)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		in, err := readTaskInput(members)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		tasks := a.tasksOf(r)
		t, err := tasks.Replace(r.Context(), id, in.Input, in.Completed)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, taskOf(tasks.UserID(), t))
	})
}

// handleComplete sets a task's state (PATCH /api/{user_id}/tasks/{id}/complete with
// {"completed": bool}), or flips it when there is no body.
func (a *API) handleComplete() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := taskID(r)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		members, err := readObject(r, true)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		tasks := a.tasksOf(r)
		var t todo.Task
		if members == nil {
			t, err = tasks.Toggle(r.Context(), id)
		} else {
			var in completeInput
			if in, err = decodeFields(members, completeFields, []string{"completed"}); err == nil {
				t, err = tasks.SetCompleted(r.Context(), id, in.Completed)
			}
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, taskOf(tasks.UserID(), t))
	})
}

// handleDelete removes a task (DELETE /api/{user_id}/tasks/{id}): 204.
func (a *API) handleDelete() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := taskID(r)
		if err == nil {
			err = a.tasksOf(r).Delete(r.Context(), id)
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// taskPath is a task's URL in the API.
func taskPath(userID string, id int64) string {
	return "/api/" + pathEscape(userID) + "/tasks/" + strconv.FormatInt(id, 10)
}
