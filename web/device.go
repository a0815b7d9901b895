package web

import (
	"strings"

	"github.com/medama-io/go-useragent"
	"github.com/medama-io/go-useragent/agents"
)

// describeDevice names a session's device for the account page from its User-Agent, parsed by
// medama-io/go-useragent: "Firefox 133 on Windows", "Safari on iOS (mobile)", "Unknown device".
func describeDevice(ua string) string {
	if strings.TrimSpace(ua) == "" {
		return "Unknown device"
	}
	agent := useragent.NewParser().Parse(ua) // the parser is built once and shared
	browser, os := string(agent.Browser()), string(agent.OS())
	if os == string(agents.OSMacOS) {
		os = "macOS"
	}
	if v := agent.BrowserVersionMajor(); browser != "" && v != "" {
		browser += " " + v
	}
	var name string
	switch {
	case browser != "" && os != "":
		name = browser + " on " + os
	case browser != "":
		name = browser
	case os != "":
		name = os + " device"
	case agent.IsBot():
		return "Automated client"
	default:
		return "Unknown device"
	}
	switch {
	case agent.IsMobile():
		name += " (phone)"
	case agent.IsTablet():
		name += " (tablet)"
	case agent.IsTV():
		name += " (TV)"
	}
	return name
}
