package ocsf

// Version is the OCSF schema version the output follows, written as metadata.version.
const Version = "1.8.0"

// Class is an OCSF event class the output uses.
type Class struct {
	UID          int
	Name         string
	CategoryUID  int
	CategoryName string
	// Activities names the class's activity ids (0 Unknown and 99 Other are common to all).
	Activities map[int]string
	// verbs gives an activity id for the last word of an event type that names one (see Decide).
	verbs map[string]int
}

// The class uids.
const (
	AccountChange        = 3001
	Authentication       = 3002
	EntityManagement     = 3004
	UserAccessManagement = 3005
	GroupManagement      = 3006
	DetectionFinding     = 2004
	APIActivity          = 6003
)

// Activity ids common to every class.
const (
	ActivityUnknown = 0
	ActivityOther   = 99
)

// Classes are the classes of the output, by uid.
var Classes = map[int]*Class{
	AccountChange: {
		UID: AccountChange, Name: "Account Change", CategoryUID: 3, CategoryName: "Identity & Access Management",
		Activities: map[int]string{1: "Create", 2: "Enable", 3: "Password Change", 4: "Password Reset", 5: "Disable",
			6: "Delete", 7: "Attach Policy", 8: "Detach Policy", 9: "Lock", 10: "MFA Factor Enable",
			11: "MFA Factor Disable", 12: "Unlock"},
		verbs: map[string]int{"create": 1, "activate": 2, "reactivate": 2, "unsuspend": 2, "enable": 2,
			"update_password": 3, "change_password": 3, "reset_password": 4, "deactivate": 5, "suspend": 5,
			"disable": 5, "delete": 6, "lock": 9, "unlock": 12, "unlock_by_admin": 12, "unlock_token": 12},
	},
	Authentication: {
		UID: Authentication, Name: "Authentication", CategoryUID: 3, CategoryName: "Identity & Access Management",
		Activities: map[int]string{1: "Logon", 2: "Logoff", 3: "Authentication Ticket", 4: "Service Ticket Request",
			5: "Service Ticket Renew", 6: "Preauth", 7: "Account Switch"},
		verbs: map[string]int{"start": 1, "signon": 1, "sso": 1, "auth": 1, "authenticate": 1,
			"authentication": 1, "authorize": 1, "verify": 1, "end": 2, "slo": 2, "universal_logout": 2,
			"clear": 2, "expire": 2, "grant": 3},
	},
	EntityManagement: {
		UID: EntityManagement, Name: "Entity Management", CategoryUID: 3, CategoryName: "Identity & Access Management",
		Activities: map[int]string{1: "Create", 2: "Read", 3: "Update", 4: "Delete", 5: "Move", 6: "Enroll",
			7: "Unenroll", 8: "Enable", 9: "Disable", 10: "Activate", 11: "Deactivate", 12: "Suspend", 13: "Resume"},
		verbs: map[string]int{"create": 1, "created": 1, "add": 1, "register": 1, "read": 2, "view": 2, "download": 2,
			"update": 3, "updated": 3, "change": 3, "overwrite": 3, "rotate": 3, "renew": 3, "settings_changed": 3,
			"delete": 4, "deleted": 4, "remove": 4, "move": 5, "enroll": 6, "unenroll": 7, "enable": 8,
			"enabled": 8, "disable": 9, "disabled": 9, "activate": 10, "activated": 10, "deactivate": 11,
			"deactivated": 11, "suspend": 12, "unsuspend": 13, "resume": 13},
	},
	UserAccessManagement: {
		UID: UserAccessManagement, Name: "User Access Management", CategoryUID: 3,
		CategoryName: "Identity & Access Management",
		Activities:   map[int]string{1: "Assign Privileges", 2: "Revoke Privileges"},
		verbs: map[string]int{"add": 1, "grant": 1, "assign": 1, "provision": 1, "approve": 1, "remove": 2,
			"revoke": 2, "unassign": 2, "deprovision": 2},
	},
	GroupManagement: {
		UID: GroupManagement, Name: "Group Management", CategoryUID: 3, CategoryName: "Identity & Access Management",
		Activities: map[int]string{1: "Assign Privileges", 2: "Revoke Privileges", 3: "Add User", 4: "Remove User",
			5: "Delete", 6: "Create", 7: "Add Subgroup", 8: "Remove Subgroup"},
		verbs: map[string]int{"grant": 1, "revoke": 2, "add": 3, "remove": 4, "delete": 5, "create": 6},
	},
	DetectionFinding: {
		UID: DetectionFinding, Name: "Detection Finding", CategoryUID: 2, CategoryName: "Findings",
		Activities: map[int]string{1: "Create", 2: "Update", 3: "Close"},
		verbs:      map[string]int{"end": 3},
	},
	APIActivity: {
		UID: APIActivity, Name: "API Activity", CategoryUID: 6, CategoryName: "Application Activity",
		Activities: map[int]string{1: "Create", 2: "Read", 3: "Update", 4: "Delete"},
		verbs: map[string]int{"create": 1, "created": 1, "add": 1, "register": 1, "generate": 1, "read": 2,
			"view": 2, "download": 2, "export": 2, "read_client_secret": 2, "read_schema": 2, "update": 3,
			"updated": 3, "change": 3, "delete": 4, "deleted": 4, "remove": 4},
	},
}

// ActivityName returns the caption of activity id of class c; for Other it is empty (the event's own verb
// names it, see Decision).
func (c *Class) ActivityName(id int) string {
	if id == ActivityUnknown {
		return "Unknown"
	}
	return c.Activities[id]
}
