// Package ocsf holds what the receiver's OCSF output needs to know of the Open Cybersecurity Schema
// Framework 1.8.0 that does not depend on an event's content: the classes it uses, their activities, and
// the table that gives every Okta event type its class and activity (see Decide).
package ocsf
