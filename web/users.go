package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"gkaudit/cndate"
	"gkaudit/store"
)

type usersView struct {
	Users []store.User
	Roles []option
	Me    string
}

func roleOptions() []option {
	var out []option
	for _, r := range store.Roles() {
		out = append(out, option{r, store.RoleLabel(r)})
	}
	return out
}

func (s *server) users(w http.ResponseWriter, r *http.Request, sess *session) {
	v := usersView{Roles: roleOptions(), Me: sess.user}
	err := s.do(func(db *store.DB) error {
		var err error
		v.Users, err = db.Users()
		return err
	})
	if err != nil {
		s.serverError(w, r, sess, err)
		return
	}
	s.render(w, r, http.StatusOK, "users", sess, "用户", v)
}

// addUser makes an account with the role and password the admin typed.
func (s *server) addUser(w http.ResponseWriter, r *http.Request, sess *session) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	role := r.PostFormValue("role")
	pw, pw2 := r.PostFormValue("password"), r.PostFormValue("password2")
	switch {
	case !slices.Contains(store.Roles(), role):
		s.badRequest(w, r, sess, "请选择角色：查看者、审核员或管理员。")
		return
	case pw != pw2:
		s.badRequest(w, r, sess, "两次输入的密码不一致。")
		return
	}
	hash, err := HashPassword(pw)
	if errors.Is(err, ErrWeakPassword) {
		s.badRequest(w, r, sess, ErrWeakPassword.Error()+"。")
		return
	} else if err != nil {
		s.serverError(w, r, sess, err)
		return
	}
	err = s.do(func(db *store.DB) error {
		if err := db.AddUser(store.User{Name: name, Role: role, Hash: hash, Created: s.now()}); err != nil {
			return err
		}
		return db.LogAccount(sess.user, name, "添加用户 "+name+"（"+store.RoleLabel(role)+"）", s.now())
	})
	switch {
	case errors.Is(err, store.ErrUserExists):
		s.badRequest(w, r, sess, "用户 "+name+" 已存在。")
		return
	case err != nil && strings.Contains(err.Error(), "user name"):
		s.badRequest(w, r, sess, "用户名应为 1 到 64 个字符，不含空格和 /。")
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	}
	s.log.Info("user add", "by", sess.user, "user", name, "role", role)
	s.flash(sess, "已添加用户 %s（%s）。", name, store.RoleLabel(role))
	http.Redirect(w, r, "/users", http.StatusSeeOther)
}

// changeUser disables or enables an account, or changes its role. An admin
// cannot lock themself out this way.
func (s *server) changeUser(w http.ResponseWriter, r *http.Request, sess *session) {
	name, action := r.PathValue("name"), r.PathValue("action")
	role := r.PostFormValue("role")
	if name == sess.user {
		s.badRequest(w, r, sess, "不能停用自己的账号或修改自己的角色。")
		return
	}
	var fn func(*store.User) error
	var done string
	switch action {
	case "disable":
		fn, done = func(u *store.User) error { u.Disabled = true; return nil }, "已停用用户 "+name+"，其登录会话已结束。"
	case "enable":
		fn, done = func(u *store.User) error { u.Disabled = false; return nil }, "已启用用户 "+name+"。"
	case "role":
		if !slices.Contains(store.Roles(), role) {
			s.badRequest(w, r, sess, "请选择角色：查看者、审核员或管理员。")
			return
		}
		fn, done = func(u *store.User) error { u.Role = role; return nil }, "用户 "+name+" 的角色已改为"+store.RoleLabel(role)+"，需重新登录。"
	default:
		s.notFound(w, r, sess)
		return
	}
	err := s.do(func(db *store.DB) error {
		if _, err := db.UpdateUser(name, fn); err != nil {
			return err
		}
		return db.LogAccount(sess.user, name, done, s.now())
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.notFoundMsg(w, r, sess, "没有用户 "+name+"。")
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	}
	s.sessions.endUser(name)
	s.log.Info("user change", "by", sess.user, "user", name, "action", action, "role", role)
	s.flash(sess, "%s", done)
	http.Redirect(w, r, "/users", http.StatusSeeOther)
}

type accountView struct {
	Name    string
	Role    string
	Created string
}

func (s *server) account(w http.ResponseWriter, r *http.Request, sess *session) {
	var u store.User
	err := s.do(func(db *store.DB) error {
		var err error
		u, err = db.GetUser(sess.user)
		return err
	})
	if err != nil {
		s.serverError(w, r, sess, err)
		return
	}
	s.render(w, r, http.StatusOK, "account", sess, "我的账号", accountView{Name: u.Name, Role: u.Role,
		Created: u.Created.In(cndate.Shanghai).Format("2006-01-02")})
}

// changePassword sets the user's own password after checking the old one;
// every session of the account ends, this one is renewed.
func (s *server) changePassword(w http.ResponseWriter, r *http.Request, sess *session) {
	old, pw, pw2 := r.PostFormValue("old"), r.PostFormValue("password"), r.PostFormValue("password2")
	if pw != pw2 {
		s.badRequest(w, r, sess, "两次输入的新密码不一致。")
		return
	}
	hash, err := HashPassword(pw)
	if errors.Is(err, ErrWeakPassword) {
		s.badRequest(w, r, sess, ErrWeakPassword.Error()+"。")
		return
	} else if err != nil {
		s.serverError(w, r, sess, err)
		return
	}
	wrong := false
	var u store.User
	err = s.do(func(db *store.DB) error {
		var err error
		u, err = db.UpdateUser(sess.user, func(u *store.User) error {
			if bcrypt.CompareHashAndPassword(u.Hash, []byte(old)) != nil {
				wrong = true
				return errWrongPassword
			}
			u.Hash = hash
			return nil
		})
		if err != nil {
			return err
		}
		return db.LogAccount(sess.user, sess.user, "修改自己的密码", s.now())
	})
	switch {
	case wrong:
		s.userLimit.fail(strings.ToLower(sess.user), s.now())
		s.badRequest(w, r, sess, "原密码不正确。")
		return
	case err != nil:
		s.serverError(w, r, sess, err)
		return
	}
	s.sessions.endUser(sess.user)
	ns := s.sessions.create(u.Name, u.Role, u.Changed, s.now())
	s.setCookie(w, s.cookieName(), ns.token, 0)
	s.log.Info("password changed", "user", sess.user)
	s.flash(ns, "密码已修改，其他登录会话已结束。")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

var errWrongPassword = errors.New("wrong password")
