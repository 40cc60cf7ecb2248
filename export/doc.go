// Package export writes a clinic's data in the formats people take elsewhere:
// check-ins as CSV for a spreadsheet (CheckInRows, WriteCheckInsCSV),
// everything held on one client as one JSON document (ClientJSON), and a
// client's follow-up times as an iCalendar file (FollowUpsICS).
//
// Everything here is pure: it reads domain values and writes to an io.Writer;
// the caller loads the data and sets the HTTP headers.
package export
