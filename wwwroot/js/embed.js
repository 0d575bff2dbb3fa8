// CiliumDash live panels for pages that allow scripts. Needs the SignalR client loaded first (lib/signalr/signalr.min.js).
// Markup: <div data-ciliumdash-panel="nodes" data-ciliumdash-server="https://dash.example/ciliumdash"></div>
// Panels: cluster, nodes, controllers, bpfMaps (or bpf-maps), connectivity, flows (filter in data-ciliumdash-query).
(function () {
    "use strict";
    var topics = { "bpf-maps": "bpfMaps" };
    var maxFlows = 50;

    function text(value) { return value === null || value === undefined ? "" : String(value); }

    function table(columns, rows) {
        var t = document.createElement("table");
        t.className = "ciliumdash-table";
        var head = t.createTHead().insertRow();
        columns.forEach(function (c) { var th = document.createElement("th"); th.textContent = c; head.appendChild(th); });
        var body = t.createTBody();
        rows.forEach(function (r) {
            var tr = body.insertRow();
            r.forEach(function (cell) { tr.insertCell().textContent = text(cell); });
        });
        return t;
    }

    // Every value is set with textContent: names from the cluster never become markup.
    function render(panel, topic, payload, state) {
        switch (topic) {
            case "nodes":
                return table(["Node", "State", "Version", "Failing controllers"], payload.map(function (n) { return [n.name, n.state, n.ciliumVersion, n.controllers.failing]; }));
            case "cluster":
                return table(["", ""], [["Nodes", payload.nodes.ready + "/" + payload.nodes.total + " ready"], ["Relay", payload.relay.state]]
                    .concat(payload.components.map(function (c) { return [c.name, c.state]; })));
            case "controllers":
                return table(["Node", "Controller", "Consecutive", "Last message"], payload.map(function (c) { return [c.node, c.name, c.consecutiveFailureCount, c.lastFailureMessage]; }));
            case "bpfMaps":
                return table(["Node", "Maps"], payload.map(function (n) { return [n.node, n.maps.length + " maps"]; }));
            case "connectivity":
                return table(["Node", "Reachable"], payload.nodeDetails.map(function (n) { return [n.name, n.reachable + "/" + n.total]; }));
            case "flows":
                state.flows = payload.flows.concat(state.flows || []).slice(0, maxFlows);
                return table(["Time", "Source", "Destination", "Verdict"], state.flows.map(function (f) {
                    return [f.time, f.source.namespace + "/" + f.source.pod, f.destination.namespace + "/" + f.destination.pod, f.verdict];
                }));
        }
        return document.createTextNode("unknown panel " + panel);
    }

    function start(el) {
        var panel = el.getAttribute("data-ciliumdash-panel");
        var topic = topics[panel] || panel;
        var server = (el.getAttribute("data-ciliumdash-server") || "").replace(/\/$/, "");
        var query = el.getAttribute("data-ciliumdash-query") || "";
        var state = { updates: 0 };
        var status = document.createElement("div");
        status.className = "ciliumdash-status";
        var content = document.createElement("div");
        el.replaceChildren(status, content);

        var connection = new signalR.HubConnectionBuilder()
            .withUrl(server + "/hubs/cluster", { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
            .withAutomaticReconnect([0, 2000, 5000, 10000, 30000])
            .build();

        function show(kind, t, payload) {
            if (t !== topic) { return; }
            if (kind === "Snapshot") { state.flows = []; }
            content.replaceChildren(render(panel, topic, payload, state));
            state.updates++;
            el.setAttribute("data-ciliumdash-updates", String(state.updates));
            status.textContent = "live · updated " + new Date().toLocaleTimeString();
        }

        connection.on("Snapshot", function (t, p) { show("Snapshot", t, p); });
        connection.on("Changed", function (t, p) { show("Changed", t, p); });
        connection.onreconnecting(function () { status.textContent = "reconnecting…"; });
        connection.onreconnected(subscribe);

        function subscribe() {
            return topic === "flows" ? connection.invoke("SubscribeFlows", query) : connection.invoke("Subscribe", topic);
        }

        // Automatic reconnect gives up after its last delay; then keep trying with a growing, capped backoff.
        var delay = 1000;
        function connect() {
            connection.start().then(function () { delay = 1000; return subscribe(); }).catch(function (err) {
                status.textContent = "not connected to " + server + ": " + (err && err.message ? err.message : err) + "; retrying";
                setTimeout(connect, delay);
                delay = Math.min(delay * 2, 60000);
            });
        }
        connection.onclose(function () { setTimeout(connect, delay); });
        connect();
    }

    function startAll() { document.querySelectorAll("[data-ciliumdash-panel]").forEach(start); }
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", startAll); } else { startAll(); }
})();
