package store

// Labels of lifecycle states and event actions as the office reads them,
// for every human-facing output (tables, notices, the sheet, the report).
// Machine formats keep the English values.

var stateLabels = map[State]string{
	StateOpen:      "待整改",
	StateNotified:  "已通知",
	StateOverdue:   "已逾期",
	StateFixed:     "已整改",
	StateDismissed: "已驳回",
}

var actionLabels = map[string]string{
	ActionDetect:   "发现",
	ActionReopen:   "再次出现",
	ActionFix:      "已整改",
	ActionOverdue:  "逾期",
	ActionNotify:   "发出整改通知",
	ActionFollowUp: "催办",
	ActionConfirm:  "审核确认",
	ActionDismiss:  "审核驳回",
	ActionMigrate:  "数据迁移",
	ActionScore:    "人工评分",
	ActionAccount:  "账号管理",
}

// Label is the state's Chinese name; no state yet is "—".
func (s State) Label() string {
	if n, ok := stateLabels[s]; ok {
		return n
	}
	if s == "" {
		return "—"
	}
	return string(s)
}

// ActionLabel is the Chinese name of the event's action. A reopen is a
// finding failing again when a run does it, a reviewer's decision otherwise.
func (ev Event) ActionLabel() string {
	if ev.Action == ActionReopen && ev.By != SystemUser && ev.By != "" {
		return "审核重新打开"
	}
	if n, ok := actionLabels[ev.Action]; ok {
		return n
	}
	return ev.Action
}

// ByLabel is who made the change: a user's name, or 系统 for the runs.
func (ev Event) ByLabel() string {
	if ev.By == SystemUser || ev.By == "" {
		return "系统"
	}
	return ev.By
}

// RoleLabel is an account role's Chinese name.
func RoleLabel(role string) string {
	switch role {
	case RoleAdmin:
		return "管理员"
	case RoleReviewer:
		return "审核员"
	case RoleViewer:
		return "查看者"
	}
	return role
}
