using System.Text.RegularExpressions;
using CiliumDash.Protocols.Hubble;
using Google.Protobuf.Collections;

namespace CiliumDash.Protocols.Hubble.Filters;

/// <summary>The L4/L7, label, name-pattern and event-type fields of the matcher.</summary>
public static partial class FlowFilterMatcher
{
    private static Func<Flow, bool>? Labels(RepeatedField<string> values, string field, Func<Flow, RepeatedField<string>?> get)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var selectors = values.Select(v => LabelSelector.Parse(v, field)).ToArray();
        return f => get(f) is { } labels && selectors.Any(s => s.Matches(labels));
    }

    private static Func<Flow, bool>? Fqdns(RepeatedField<string> values, string field, Func<Flow, RepeatedField<string>> get)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var patterns = values.Select(v =>
        {
            var p = v.Trim().TrimEnd('.');
            if (p.Length == 0 || !FqdnPattern().IsMatch(p))
            {
                throw Invalid(field, v, "expected a DNS name with optional * wildcards");
            }

            // As in Cilium's FQDN patterns, * stands for part of one DNS label and never crosses a dot.
            return new Regex("^" + Regex.Escape(p).Replace("\\*", "[-a-z0-9_]*", StringComparison.Ordinal) + "$",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, RegexTimeout);
        }).ToArray();
        return f =>
        {
            foreach (var name in get(f))
            {
                var n = name.TrimEnd('.');
                if (patterns.Any(p => SafeIsMatch(p, n)))
                {
                    return true;
                }
            }

            return false;
        };
    }

    private static Func<Flow, bool>? NodeNames(RepeatedField<string> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var patterns = values.Select(v =>
        {
            if (string.IsNullOrWhiteSpace(v) || !NodePattern().IsMatch(v))
            {
                throw Invalid("node_name", v, "expected a node name or cluster/node pattern with * wildcards");
            }

            var regex = new Regex("^" + Regex.Escape(v).Replace("\\*", "[^/]*", StringComparison.Ordinal) + "$",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, RegexTimeout);
            return (regex, HasCluster: v.Contains('/', StringComparison.Ordinal));
        }).ToArray();
        return f =>
        {
            var full = f.NodeName ?? "";
            var bare = full[(full.LastIndexOf('/') + 1)..];
            // A pattern without a cluster part matches the node in any cluster.
            return patterns.Any(p => SafeIsMatch(p.regex, p.HasCluster ? full : bare) || SafeIsMatch(p.regex, full));
        };
    }

    private static Func<Flow, bool>? Workloads(RepeatedField<Workload> values, Func<Flow, Endpoint?> get)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var wanted = values.ToArray();
        return f => get(f) is { } e && e.Workloads.Any(w => wanted.Any(x =>
            (x.Name.Length == 0 || x.Name == w.Name) && (x.Kind.Length == 0 || string.Equals(x.Kind, w.Kind, StringComparison.OrdinalIgnoreCase))));
    }

    private static Func<Flow, bool>? Interfaces(RepeatedField<NetworkInterface> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var wanted = values.ToArray();
        return f => f.Interface is { } i && wanted.Any(x => (x.Index == 0 || x.Index == i.Index) && (x.Name.Length == 0 || x.Name == i.Name));
    }

    private static Func<Flow, bool>? EventTypes(RepeatedField<EventTypeFilter> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var wanted = values.ToArray();
        return f => f.EventType is { } t && wanted.Any(x => x.Type == t.Type && (!x.MatchSubType || x.SubType == t.SubType));
    }

    private static Func<Flow, bool>? Ports(RepeatedField<string> values, string field, bool source)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var set = values.Select(v => ushort.TryParse(v, out var p) ? (uint)p : throw Invalid(field, v, "expected a port number 0-65535")).ToHashSet();
        return f =>
        {
            var l4 = f.L4;
            uint? port = l4?.ProtocolCase switch
            {
                Layer4.ProtocolOneofCase.TCP => source ? l4.TCP.SourcePort : l4.TCP.DestinationPort,
                Layer4.ProtocolOneofCase.UDP => source ? l4.UDP.SourcePort : l4.UDP.DestinationPort,
                Layer4.ProtocolOneofCase.SCTP => source ? l4.SCTP.SourcePort : l4.SCTP.DestinationPort,
                _ => null,
            };
            return port is { } p && set.Contains(p);
        };
    }

    private static Func<Flow, bool>? Protocols(RepeatedField<string> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var checks = values.Select<string, Func<Flow, bool>>(v => v.Trim().ToLowerInvariant() switch
        {
            "tcp" => f => f.L4?.TCP is not null,
            "udp" => f => f.L4?.UDP is not null,
            "sctp" => f => f.L4?.SCTP is not null,
            "icmp" => f => f.L4?.ICMPv4 is not null || f.L4?.ICMPv6 is not null,
            "icmpv4" => f => f.L4?.ICMPv4 is not null,
            "icmpv6" => f => f.L4?.ICMPv6 is not null,
            "http" => f => f.L7?.Http is not null,
            "dns" => f => f.L7?.Dns is not null,
            "kafka" => f => f.L7?.Kafka is not null,
            _ => throw Invalid("protocol", v, "expected tcp, udp, sctp, icmp, icmpv4, icmpv6, http, dns or kafka"),
        }).ToArray();
        return f => checks.Any(c => c(f));
    }

    private static Func<Flow, bool>? TcpFlags(RepeatedField<TCPFlags> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var wanted = values.ToArray();
        return f => f.L4?.TCP?.Flags is { } have && wanted.Any(w =>
            (!w.SYN || have.SYN) && (!w.ACK || have.ACK) && (!w.FIN || have.FIN) && (!w.RST || have.RST) && (!w.PSH || have.PSH)
            && (!w.URG || have.URG) && (!w.ECE || have.ECE) && (!w.CWR || have.CWR) && (!w.NS || have.NS));
    }

    /// <summary>"404" matches exactly; "5+" or "40+" match codes with that prefix (any 5xx, 400-409).</summary>
    private static Func<Flow, bool>? StatusCodes(RepeatedField<string> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var ranges = values.Select(v =>
        {
            var m = StatusCodePattern().Match(v.Trim());
            if (!m.Success || (m.Groups[2].Length == 0 && m.Groups[1].Length != 3))
            {
                throw Invalid("http_status_code", v, "expected a 3-digit code or a prefix followed by + (e.g. 404, 5+)");
            }

            var digits = m.Groups[1].Value;
            var scale = (uint)Math.Pow(10, 3 - digits.Length);
            var low = uint.Parse(digits) * scale;
            return (Low: low, High: low + scale - 1);
        }).ToArray();
        return f => f.L7?.Http is { Code: > 0 } h && ranges.Any(r => h.Code >= r.Low && h.Code <= r.High);
    }

    private static Func<Flow, bool>? Regexes(RepeatedField<string> values, string field, Func<Flow, string?> get)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var regexes = values.Select(v => CompileRegex(v, field)).ToArray();
        return f => get(f) is { } s && regexes.Any(r => SafeIsMatch(r, s));
    }

    private static Regex CompileRegex(string pattern, string field)
    {
        if (pattern.Length > MaxPatternLength)
        {
            throw Invalid(field, pattern[..40] + "…", $"longer than {MaxPatternLength} characters");
        }

        try
        {
            // NonBacktracking matches in linear time, so no pattern (e.g. (a+)+$) can pin a CPU.
            return new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException e)
        {
            throw Invalid(field, pattern, e.Message.TrimEnd('.'));
        }
        catch (NotSupportedException e)
        {
            throw Invalid(field, pattern, e.Message.TrimEnd('.'));
        }
    }

    private static bool SafeIsMatch(Regex regex, string input)
    {
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string UrlPath(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url.Split('?', 2)[0];

    [GeneratedRegex("^[-a-zA-Z0-9_.*]+$")]
    private static partial Regex FqdnPattern();

    [GeneratedRegex("^[-a-zA-Z0-9_.*/]+$")]
    private static partial Regex NodePattern();

    [GeneratedRegex("^([1-5][0-9]{0,2})(\\+?)$")]
    private static partial Regex StatusCodePattern();
}
