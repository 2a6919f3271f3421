/* SPDX-License-Identifier: ISC */
/*
 * prom_table.c: every metric family "xsmonctl metrics" exposes, where its
 * samples come from and the scale to Prometheus base units (bytes,
 * seconds, ratios 0 to 1). Statuses are Nagios codes (0 ok, 1 warning,
 * 2 critical, 3 unknown), as xsmonctl's exit codes; the one-hot
 * xsmon_check_state is for alerts that would rather match a state name.
 * Counters are xsmond's own since it started: they reset when it
 * restarts, which rate() handles.
 */
#include "prom.h"

static const char *const states[] = { "ok", "warning", "critical",
	"unknown", NULL };
static const char *const level_kinds[] = { "used", "avail", "total", NULL };
static const char *const canary_states[] = { "none", "pending",
	"delivered", "late", "unsent", NULL };
static const char *const up[] = { "up", NULL };   /* no label */
static const char *const discard_reasons[] = { "full", "nf", NULL };

#define G PROM_GAUGE
#define C PROM_COUNTER
#define F(name, help, type, walker, key, conv, scale) \
	{ name, help, type, walker, key, conv, scale, NULL, NULL }
#define FL(name, help, type, walker, key, conv, scale, lname, lvals) \
	{ name, help, type, walker, key, conv, scale, lname, lvals }

const struct prom_family prom_families[] = {
	F("xsmon_up", "1 when xsmond answered xsmonctl.", G, PROM_W_ROOT,
	    "schema", PROM_NONNULL, 1),
	F("xsmon_info", "xsmond's version and host name, always 1.", G,
	    PROM_W_INFO, "schema", PROM_NONNULL, 1),
	F("xsmon_uptime_seconds", "Seconds since xsmond started.", G,
	    PROM_W_ROOT, "uptime_s", PROM_NUM, 1),
	F("xsmon_status", "Overall status: 0 ok, 1 warning, 2 critical, "
	    "3 unknown.", G, PROM_W_ROOT, "status", PROM_STATUS, 1),
	F("xsmon_check_status", "Status of a check: 0 ok, 1 warning, "
	    "2 critical, 3 unknown.", G, PROM_W_CHECK, "status", PROM_STATUS,
	    1),
	FL("xsmon_check_state", "1 for the state a check is in, else 0.", G,
	    PROM_W_CHECK, "status", PROM_EQ, 1, "state", states),
	F("xsmon_check_status_age_seconds", "Seconds since the check "
	    "entered its status.", G, PROM_W_CHECK, "since_age_s", PROM_NUM,
	    1),
	F("xsmon_check_transitions_total", "Status changes of the check.",
	    C, PROM_W_CHECK, "transitions", PROM_NUM, 1),

	FL("xsmon_logfs_bytes", "Bytes of the log filesystem, as df counts "
	    "them (avail: to non-root).", G, PROM_W_LOGFS, "bytes.%s",
	    PROM_NUM, 1, "kind", level_kinds),
	F("xsmon_logfs_bytes_used_ratio", "Used bytes, as df's Use%, "
	    "0 to 1.", G, PROM_W_LOGFS, "bytes.used_pct", PROM_NUM, 0.01),
	FL("xsmon_logfs_inodes", "Inodes of the log filesystem.", G,
	    PROM_W_LOGFS, "inodes.%s", PROM_NUM, 1, "kind", level_kinds),
	F("xsmon_logfs_inodes_used_ratio", "Used inodes, 0 to 1.", G,
	    PROM_W_LOGFS, "inodes.used_pct", PROM_NUM, 0.01),
	F("xsmon_logfs_growth_bytes_per_second", "Growth over the trend "
	    "window; absent while it warms up.", G, PROM_W_LOGFS,
	    "growth.rate_bps", PROM_NUM, 1),
	F("xsmon_logfs_ttf_seconds", "Predicted time until the log "
	    "filesystem is full; absent without a prediction.", G,
	    PROM_W_LOGFS, "growth.ttf_s", PROM_NUM, 1),
	F("xsmon_logfs_deleted_open_bytes", "Bytes held by deleted but "
	    "open files.", G, PROM_W_LOGFS, "deleted_open.bytes", PROM_NUM,
	    1),
	F("xsmon_logfs_deleted_open_files", "Deleted but open files.", G,
	    PROM_W_LOGFS, "deleted_open.count", PROM_NUM, 1),
	F("xsmon_logfs_bursts_ignored_total", "One-off bursts left out of "
	    "the trend.", C, PROM_W_LOGFS, "growth.bursts_ignored", PROM_NUM,
	    1),
	F("xsmon_logfs_trend_resets_total", "Trend windows restarted by a "
	    "drop in usage.", C, PROM_W_LOGFS, "growth.trend_resets",
	    PROM_NUM, 1),
	F("xsmon_logfs_samples_total", "Samples of the log filesystem.", C,
	    PROM_W_LOGFS, "samples", PROM_NUM, 1),

	F("xsmon_nic_status", "Status of a judged interface: 0 ok, "
	    "1 warning, 2 critical, 3 unknown.", G, PROM_W_NIC, "status",
	    PROM_STATUS, 1),
	FL("xsmon_nic_up", "1 when the interface's operstate is up.", G,
	    PROM_W_NIC, "operstate", PROM_EQ, 1, NULL, up),
	F("xsmon_nic_admin_up", "1 when the interface is administratively "
	    "up.", G, PROM_W_NIC, "admin_up", PROM_NUM, 1),
	F("xsmon_nic_carrier", "1 when the interface has carrier.", G,
	    PROM_W_NIC, "carrier", PROM_NUM, 1),
	F("xsmon_nic_flapping", "1 while the interface is flapping.", G,
	    PROM_W_NIC, "flapping", PROM_NUM, 1),
	F("xsmon_nic_carrier_changes_total", "Carrier changes (the "
	    "kernel's counter).", C, PROM_W_NIC, "carrier_changes", PROM_NUM,
	    1),
	F("xsmon_nic_mtu_bytes", "MTU of the interface.", G, PROM_W_NIC,
	    "mtu", PROM_NUM, 1),
	F("xsmon_nic_speed_bytes_per_second", "Link speed.", G, PROM_W_NIC,
	    "speed_mbps", PROM_NUM, 125000),
	F("xsmon_nic_rx_bytes_total", "Bytes received.", C, PROM_W_NIC,
	    "counters.rx_bytes", PROM_NUM, 1),
	F("xsmon_nic_tx_bytes_total", "Bytes sent.", C, PROM_W_NIC,
	    "counters.tx_bytes", PROM_NUM, 1),
	F("xsmon_nic_rx_packets_total", "Packets received.", C, PROM_W_NIC,
	    "counters.rx_packets", PROM_NUM, 1),
	F("xsmon_nic_tx_packets_total", "Packets sent.", C, PROM_W_NIC,
	    "counters.tx_packets", PROM_NUM, 1),
	F("xsmon_nic_rx_errors_total", "Receive errors.", C, PROM_W_NIC,
	    "counters.rx_errors", PROM_NUM, 1),
	F("xsmon_nic_tx_errors_total", "Send errors.", C, PROM_W_NIC,
	    "counters.tx_errors", PROM_NUM, 1),
	F("xsmon_nic_rx_dropped_total", "Received packets dropped.", C,
	    PROM_W_NIC, "counters.rx_dropped", PROM_NUM, 1),
	F("xsmon_nic_tx_dropped_total", "Packets to send dropped.", C,
	    PROM_W_NIC, "counters.tx_dropped", PROM_NUM, 1),
	F("xsmon_nics_resyncs_total", "Netlink receive buffer overruns "
	    "(each asks for a full dump).", C, PROM_W_NICS, "resyncs",
	    PROM_NUM, 1),
	F("xsmon_nics_dump_failures_total", "Failed netlink dumps.", C,
	    PROM_W_NICS, "dump_failures", PROM_NUM, 1),
	F("xsmon_nics_links", "Links tracked.", G, PROM_W_NICS, "links",
	    PROM_NUM, 1),

	F("xsmon_rsyslog_up", "1 when rsyslogd is alive.", G,
	    PROM_W_RSYSLOG, "pid", PROM_NONNULL, 1),
	F("xsmon_rsyslog_restarts_total", "rsyslogd restarts seen.", C,
	    PROM_W_RSYSLOG, "restarts", PROM_NUM, 1),
	F("xsmon_rsyslog_canary_latency_seconds", "Delivery time of the "
	    "last delivered canary.", G, PROM_W_RSYSLOG, "canary.latency_ms",
	    PROM_NUM, 0.001),
	FL("xsmon_rsyslog_canary_state", "1 for the state of the last "
	    "canary, else 0.", G, PROM_W_RSYSLOG, "canary.state", PROM_EQ, 1,
	    "state", canary_states),
	F("xsmon_rsyslog_file_size_bytes", "Size of a target file.", G,
	    PROM_W_FILE, "size", PROM_NUM, 1),
	F("xsmon_rsyslog_file_age_seconds", "Seconds since a target file "
	    "was last written.", G, PROM_W_FILE, "age_s", PROM_NUM, 1),
	F("xsmon_rsyslog_action_processed_total", "Messages an action "
	    "processed (impstats).", C, PROM_W_ACTION, "processed", PROM_NUM,
	    1),
	F("xsmon_rsyslog_action_failed_total", "Messages an action failed.",
	    C, PROM_W_ACTION, "failed", PROM_NUM, 1),
	F("xsmon_rsyslog_action_suspended_total", "Times an action was "
	    "suspended.", C, PROM_W_ACTION, "suspended", PROM_NUM, 1),
	F("xsmon_rsyslog_action_resumed_total", "Times an action resumed.",
	    C, PROM_W_ACTION, "resumed", PROM_NUM, 1),
	F("xsmon_rsyslog_action_suspended_now", "1 while an action is "
	    "suspended.", G, PROM_W_ACTION, "suspended_now", PROM_NUM, 1),
	F("xsmon_rsyslog_queue_size", "Messages in a queue.", G,
	    PROM_W_QUEUE, "size", PROM_NUM, 1),
	F("xsmon_rsyslog_queue_full_total", "Times a queue was full.", C,
	    PROM_W_QUEUE, "full", PROM_NUM, 1),
	FL("xsmon_rsyslog_queue_discarded_total", "Messages a queue "
	    "discarded (full: queue full, nf: not full but over the discard "
	    "mark).", C, PROM_W_QUEUE, "discarded_%s", PROM_NUM, 1, "reason",
	    discard_reasons),
	F("xsmon_rsyslog_parse_errors_total", "impstats lines that could "
	    "not be parsed.", C, PROM_W_RSYSLOG, "parse_errors", PROM_NUM, 1),

	F("xsmon_xenstore_connected", "1 when xsmond is connected to "
	    "xenstored.", G, PROM_W_XENSTORE, "connected", PROM_NUM, 1),
	F("xsmon_xenstore_probe_latency_seconds", "Round trip of the last "
	    "xenstored probe.", G, PROM_W_XENSTORE, "probe_latency_us",
	    PROM_NUM, 1e-6),
	F("xsmon_xenstore_reconnects_total", "Reconnections to xenstored.",
	    C, PROM_W_XENSTORE, "reconnects", PROM_NUM, 1),
	F("xsmon_xenstore_domains", "Domains in xenstore.", G,
	    PROM_W_XENSTORE, "domains_count", PROM_NUM, 1),
	F("xsmon_xenstore_domains_not_ok", "Domains whose status is not "
	    "ok.", G, PROM_W_XENSTORE, "domains_not_ok_count", PROM_NUM, 1),

	F("xsmon_domain_status", "Status of a domain: 0 ok, 1 warning, "
	    "2 critical, 3 unknown.", G, PROM_W_DOMAIN, "status", PROM_STATUS,
	    1),
	F("xsmon_domain_memory_target_bytes", "The domain's memory "
	    "target.", G, PROM_W_DOMAIN, "memory_target_kib", PROM_NUM, 1024),
	F("xsmon_domain_memory_static_max_bytes", "The domain's static "
	    "memory maximum.", G, PROM_W_DOMAIN, "memory_static_max_kib",
	    PROM_NUM, 1024),
	F("xsmon_domain_tools_present", "1 when the guest tools reported "
	    "in.", G, PROM_W_DOMAIN, "tools.present", PROM_NUM, 1),
	F("xsmon_domain_xenstore_entries", "The domain's xenstore "
	    "entries.", G, PROM_W_DOMAIN, "entries", PROM_NUM, 1),

	F("xsmon_daemon_log_dropped_total", "xsmond's own log lines "
	    "dropped (syslog socket full).", C, PROM_W_ROOT,
	    "daemon.log_dropped", PROM_NUM, 1),
	F("xsmon_daemon_alerts_dropped_total", "Alerts dropped (syslog "
	    "socket full).", C, PROM_W_ROOT, "daemon.alerts_dropped",
	    PROM_NUM, 1),
	F("xsmon_daemon_reloads_total", "Config reloads.", C, PROM_W_ROOT,
	    "daemon.reloads", PROM_NUM, 1),
	F("xsmon_daemon_reload_failures_total", "Config reloads "
	    "rejected.", C, PROM_W_ROOT, "daemon.reload_failures", PROM_NUM,
	    1),
	F("xsmon_daemon_config_error", "1 while the last reload was "
	    "rejected (the old config runs).", G, PROM_W_ROOT,
	    "daemon.config_error", PROM_NONNULL, 1),
	F("xsmon_daemon_clients", "Control clients connected.", G,
	    PROM_W_ROOT, "daemon.clients", PROM_NUM, 1),
	F("xsmon_daemon_clients_refused_total", "Control clients refused "
	    "(all slots busy).", C, PROM_W_ROOT, "daemon.clients_refused",
	    PROM_NUM, 1),
};

const size_t prom_families_n = sizeof(prom_families) /
    sizeof(prom_families[0]);
