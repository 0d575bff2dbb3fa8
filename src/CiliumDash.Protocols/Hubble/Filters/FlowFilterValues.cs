using System.Net;
using System.Text.RegularExpressions;

namespace CiliumDash.Protocols.Hubble.Filters;

/// <summary>
/// Hubble's meaning of each <see cref="FlowFilter"/> field as a predicate over plain values (a name, a label list, a
/// port), so every reader of flows applies the same semantics to its own representation: <see cref="FlowFilterMatcher"/>
/// over protobuf <see cref="Flow"/> messages (the relay stand-in), the dashboard over its compact window rows. Each
/// builder validates its values and throws <see cref="FlowFilterException"/> naming the field and the bad value.
/// </summary>
public static partial class FlowFilterValues
{
    /// <summary>
    /// Regular expressions run without backtracking (linear in the input), so this is only a backstop; it is generous
    /// because a busy machine can stall a first match (lazy automaton construction) well past 100 ms.
    /// </summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(2);

    public const int MaxPatternLength = 1024;

    /// <summary>Where Hubble looks for a pod or service named without a namespace.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>Bit 15 of <see cref="TcpFlagBits"/>: the flow carries a flags message at all.</summary>
    public const ushort TcpFlagsPresent = 0x8000;

    /// <summary>The trimmed, normalised values of a string field (exact match); empty values are refused.</summary>
    public static HashSet<string> Strings(IReadOnlyList<string> values, string field, Func<string, string> normalise)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(normalise);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            if (string.IsNullOrWhiteSpace(v))
            {
                throw Invalid(field, v, "empty value");
            }

            set.Add(normalise(v.Trim()));
        }

        return set;
    }

    /// <summary>An address (as Hubble prints it) equal to one of the IPs or inside one of the CIDRs; empty never matches.</summary>
    public static Func<string, bool> Ips(IReadOnlyList<string> values, string field)
    {
        ArgumentNullException.ThrowIfNull(values);
        var exact = new HashSet<string>(StringComparer.Ordinal);
        var networks = new List<(byte[] Prefix, int Bits)>();
        foreach (var v in values)
        {
            var slash = v.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                exact.Add(IPAddress.TryParse(v, out var ip) ? ip.ToString() : throw Invalid(field, v, "not an IP address or CIDR"));
                continue;
            }

            if (!IPAddress.TryParse(v.AsSpan(0, slash), out var net) || !int.TryParse(v.AsSpan(slash + 1), out var bits)
                || bits < 0 || bits > net.GetAddressBytes().Length * 8)
            {
                throw Invalid(field, v, "not an IP address or CIDR");
            }

            networks.Add((net.GetAddressBytes(), bits));
        }

        return s => s.Length > 0 && (exact.Contains(s) || InAny(networks, s));
    }

    /// <summary>
    /// As Hubble's server reads pod and service filters: <c>ns/</c> = everything in a namespace, <c>ns/prefix</c> = names
    /// starting with prefix in it, a bare <c>prefix</c> = the same in the <c>default</c> namespace, and <c>/prefix</c> =
    /// names without a namespace. The predicate takes (namespace, name) of an endpoint or service that is present.
    /// </summary>
    public static Func<string, string, bool> Names(IReadOnlyList<string> values, string field)
    {
        ArgumentNullException.ThrowIfNull(values);
        var parsed = values.Select(v =>
        {
            if (string.IsNullOrWhiteSpace(v) || v == "/")
            {
                throw Invalid(field, v, "expected namespace/, namespace/name-prefix or /name-prefix");
            }

            var slash = v.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? (DefaultNamespace, v) : (v[..slash], v[(slash + 1)..]);
        }).ToArray();
        return (ns, name) =>
        {
            foreach (var (wantNs, prefix) in parsed)
            {
                if (wantNs == ns && (ns.Length > 0 || name.Length > 0) && name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        };
    }

    /// <summary>Any of the label selectors holds for the endpoint's labels.</summary>
    public static Func<IReadOnlyList<string>, bool> Labels(IReadOnlyList<string> values, string field)
    {
        ArgumentNullException.ThrowIfNull(values);
        var selectors = values.Select(v => LabelSelector.Parse(v, field)).ToArray();
        return labels => selectors.Any(s => s.Matches(labels));
    }

    /// <summary>Any of the names matches one of the patterns (<c>*</c> stands for part of one DNS label, as in Cilium).</summary>
    public static Func<IReadOnlyList<string>, bool> Fqdns(IReadOnlyList<string> values, string field)
    {
        ArgumentNullException.ThrowIfNull(values);
        var patterns = values.Select(v =>
        {
            var p = v.Trim().TrimEnd('.');
            if (p.Length == 0 || !FqdnPattern().IsMatch(p))
            {
                throw Invalid(field, v, "expected a DNS name with optional * wildcards");
            }

            return new Regex("^" + Regex.Escape(p).Replace("\\*", "[-a-z0-9_]*", StringComparison.Ordinal) + "$",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, RegexTimeout);
        }).ToArray();
        return names =>
        {
            foreach (var name in names)
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

    /// <summary>Node name patterns with <c>*</c>; a pattern without a cluster part matches the node in any cluster.</summary>
    public static Func<string, bool> NodeNames(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
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
        return full =>
        {
            var bare = full[(full.LastIndexOf('/') + 1)..];
            return patterns.Any(p => SafeIsMatch(p.regex, p.HasCluster ? full : bare) || SafeIsMatch(p.regex, full));
        };
    }

    /// <summary>One workload (kind, name) of an endpoint matches one of the wanted ones (empty parts are wildcards).</summary>
    public static Func<string, string, bool> Workloads(IReadOnlyList<Workload> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var wanted = values.ToArray();
        return (kind, name) => wanted.Any(x =>
            (x.Name.Length == 0 || x.Name == name) && (x.Kind.Length == 0 || string.Equals(x.Kind, kind, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The (type, sub-type) of a flow that has an event type matches one of the filters.</summary>
    public static Func<int, int, bool> EventTypes(IReadOnlyList<EventTypeFilter> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var wanted = values.ToArray();
        return (type, subType) => wanted.Any(x => x.Type == type && (!x.MatchSubType || x.SubType == subType));
    }

    /// <summary>The port numbers of a port filter (a flow without TCP, UDP or SCTP has no port and never matches).</summary>
    public static HashSet<uint> Ports(IReadOnlyList<string> values, string field)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Select(v => ushort.TryParse(v, out var p) ? (uint)p : throw Invalid(field, v, "expected a port number 0-65535")).ToHashSet();
    }

    /// <summary>Protocol names over the flow's L4 and L7 kinds.</summary>
    public static Func<Layer4.ProtocolOneofCase, Layer7.RecordOneofCase, bool> Protocols(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var checks = values.Select<string, Func<Layer4.ProtocolOneofCase, Layer7.RecordOneofCase, bool>>(v => v.Trim().ToLowerInvariant() switch
        {
            "tcp" => (l4, _) => l4 == Layer4.ProtocolOneofCase.TCP,
            "udp" => (l4, _) => l4 == Layer4.ProtocolOneofCase.UDP,
            "sctp" => (l4, _) => l4 == Layer4.ProtocolOneofCase.SCTP,
            "icmp" => (l4, _) => l4 is Layer4.ProtocolOneofCase.ICMPv4 or Layer4.ProtocolOneofCase.ICMPv6,
            "icmpv4" => (l4, _) => l4 == Layer4.ProtocolOneofCase.ICMPv4,
            "icmpv6" => (l4, _) => l4 == Layer4.ProtocolOneofCase.ICMPv6,
            "http" => (_, l7) => l7 == Layer7.RecordOneofCase.Http,
            "dns" => (_, l7) => l7 == Layer7.RecordOneofCase.Dns,
            "kafka" => (_, l7) => l7 == Layer7.RecordOneofCase.Kafka,
            _ => throw Invalid("protocol", v, "expected tcp, udp, sctp, icmp, icmpv4, icmpv6, http, dns or kafka"),
        }).ToArray();
        return (l4, l7) => checks.Any(c => c(l4, l7));
    }

    /// <summary>The flags as bits (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128, NS 256) plus <see cref="TcpFlagsPresent"/>.</summary>
    public static ushort TcpFlagBits(TCPFlags flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        return (ushort)(TcpFlagsPresent
            | (flags.FIN ? 1 : 0) | (flags.SYN ? 2 : 0) | (flags.RST ? 4 : 0) | (flags.PSH ? 8 : 0) | (flags.ACK ? 16 : 0)
            | (flags.URG ? 32 : 0) | (flags.ECE ? 64 : 0) | (flags.CWR ? 128 : 0) | (flags.NS ? 256 : 0));
    }

    /// <summary>Over <see cref="TcpFlagBits"/>: the flow has a flags message with every flag of one of the filters set.</summary>
    public static Func<ushort, bool> TcpFlags(IReadOnlyList<TCPFlags> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var wanted = values.Select(w => (ushort)(TcpFlagBits(w) & ~TcpFlagsPresent)).ToArray();
        return have => (have & TcpFlagsPresent) != 0 && wanted.Any(w => (have & w) == w);
    }

    /// <summary>"404" matches exactly; "5+" or "40+" match codes with that prefix (any 5xx, 400-409). Code 0 (none) never matches.</summary>
    public static Func<uint, bool> StatusCodes(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var ranges = values.Select(v =>
        {
            var m = StatusCodePattern().Match(v.Trim());
            if (!m.Success || (m.Groups[2].Length == 0 && m.Groups[1].Length != 3))
            {
                throw Invalid("http_status_code", v, "expected a 3-digit code or a prefix followed by + (e.g. 404, 5+)");
            }

            var digits = m.Groups[1].Value;
            var scale = (uint)Math.Pow(10, 3 - digits.Length);
            var low = uint.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) * scale;
            return (Low: low, High: low + scale - 1);
        }).ToArray();
        return code => code > 0 && ranges.Any(r => code >= r.Low && code <= r.High);
    }

    /// <summary>Any of the regular expressions (linear-time engine) matches.</summary>
    public static Func<string, bool> Regexes(IReadOnlyList<string> values, string field)
    {
        ArgumentNullException.ThrowIfNull(values);
        var regexes = values.Select(v => CompileRegex(v, field)).ToArray();
        return s => regexes.Any(r => SafeIsMatch(r, s));
    }

    /// <summary>The path of an HTTP URL as <c>http_path</c> filters see it.</summary>
    public static string UrlPath(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url.Split('?', 2)[0];
    }

    internal static FlowFilterException Invalid(string field, string value, string why) =>
        new($"Invalid {field} filter \"{value}\": {why}.");

    private static bool InAny(List<(byte[] Prefix, int Bits)> networks, string address)
    {
        if (networks.Count == 0 || !IPAddress.TryParse(address, out var ip))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!ip.TryWriteBytes(bytes, out var length))
        {
            return false;
        }

        foreach (var (prefix, bits) in networks)
        {
            if (prefix.Length == length && PrefixEquals(prefix, bytes[..length], bits))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PrefixEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int bits)
    {
        var full = bits / 8;
        if (!a[..full].SequenceEqual(b[..full]))
        {
            return false;
        }

        var rest = bits % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (a[full] & mask) == (b[full] & mask);
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

    [GeneratedRegex("^[-a-zA-Z0-9_.*]+$")]
    private static partial Regex FqdnPattern();

    [GeneratedRegex("^[-a-zA-Z0-9_.*/]+$")]
    private static partial Regex NodePattern();

    [GeneratedRegex("^([1-5][0-9]{0,2})(\\+?)$")]
    private static partial Regex StatusCodePattern();
}
