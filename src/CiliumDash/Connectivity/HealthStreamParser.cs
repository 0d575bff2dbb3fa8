using System.Globalization;
using System.Text;
using System.Text.Json;
using CiliumDash.Protocols.Health;
using CiliumDash.Shared;

namespace CiliumDash.Connectivity;

/// <summary>
/// Reads <c>cilium-health status -o json</c> (1.12 to 1.19) token by token with <see cref="Utf8JsonReader"/>, straight
/// into a <see cref="HealthDocument"/>: <c>health-endpoint</c> with the deprecated flat <c>endpoint</c> as fallback,
/// primary and secondary addresses, latencies in ns, <c>lastProbed</c> and <c>probeInterval</c> where present.
/// Unknown properties are skipped; wrong types become issues naming their JSON path; broken JSON is one error. The
/// names are those of the wire model (<see cref="HealthWireNames"/>); the model itself is not built here, because a
/// 1,000-node report read into it costs several times the time and allocation (docs/benchmarks.md §2a).
/// </summary>
internal static class HealthStreamParser
{
    /// <summary>A 2,000-node report is about 1.5 MB; anything far larger is refused before parsing.</summary>
    public const int MaxDocumentBytes = WireJson.MaxDocumentBytes * 4;

    /// <summary>cilium-health gives up on a probe long before a minute; a larger RTT is a broken report, not a slow link.</summary>
    public const double AbsurdNs = 60e9;

    private const string What = "health";

    private static readonly JsonReaderOptions Options = new() { MaxDepth = CiliumDash.Protocols.Json.CiliumJson.MaxDepth };

    /// <summary>Fills <paramref name="document"/>; returns null on success or the reason the whole report is unusable.</summary>
    public static string? Parse(ReadOnlySpan<byte> utf8, HealthDocument document)
    {
        if (WireJson.CheckBytes(utf8, What, MaxDocumentBytes) is { } refused)
        {
            return refused;
        }

        var reader = new Utf8JsonReader(utf8, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "health JSON at $: expected an object";
            }

            ReadRoot(ref reader, document);

            // Trailing content after the object is malformed output (two documents, a truncated retry, log lines).
            reader.Read();
            return null;
        }
        catch (InvalidOperationException ex)
        {
            return WireJson.NotUnicode(What, ex);
        }
        catch (JsonException ex)
        {
            return WireJson.Malformed(What, ex);
        }
    }

    private static void ReadRoot(ref Utf8JsonReader reader, HealthDocument doc)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(Names.Local))
            {
                reader.Read();
                if (Expect(ref reader, doc, JsonTokenType.StartObject, new Loc("$." + HealthWireNames.Local)))
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isName = reader.ValueTextEquals(Names.Name);
                        reader.Read();
                        if (isName && Expect(ref reader, doc, JsonTokenType.String, new Loc("$." + HealthWireNames.Local + "." + HealthWireNames.Name)))
                        {
                            doc.LocalName = doc.Add(ref reader);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
            }
            else if (reader.ValueTextEquals(Names.Nodes))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null && Expect(ref reader, doc, JsonTokenType.StartArray, new Loc("$." + HealthWireNames.Nodes)))
                {
                    ReadNodes(ref reader, doc);
                }
            }
            else if (reader.ValueTextEquals(Names.Timestamp))
            {
                reader.Read();
                doc.Timestamp = Time(ref reader, doc, new Loc("$." + HealthWireNames.Timestamp));
            }
            else if (reader.ValueTextEquals(Names.ProbeInterval))
            {
                reader.Read();
                if (Expect(ref reader, doc, JsonTokenType.String, new Loc("$." + HealthWireNames.ProbeInterval)))
                {
                    doc.ProbeInterval = doc.Add(ref reader);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadNodes(ref Utf8JsonReader reader, HealthDocument doc)
    {
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var path = new Loc("$." + HealthWireNames.Nodes, index++);
            if (!Expect(ref reader, doc, JsonTokenType.StartObject, path))
            {
                continue;
            }

            ref var peer = ref doc.AddPeer();
            var sawEndpoint = false;
            PathReading legacy = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(Names.Name))
                {
                    reader.Read();
                    if (Expect(ref reader, doc, JsonTokenType.String, path.Then(HealthWireNames.Name)))
                    {
                        peer.Name = doc.Add(ref reader);
                    }
                }
                else if (reader.ValueTextEquals(Names.Host))
                {
                    reader.Read();
                    var (primary, _) = ReadAddresses(ref reader, doc, ref peer, path.Then(HealthWireNames.Host), host: true);
                    Store(ref peer, primary, host: true);
                }
                else if (reader.ValueTextEquals(Names.HealthEndpoint))
                {
                    reader.Read();
                    var (primary, present) = ReadAddresses(ref reader, doc, ref peer, path.Then(HealthWireNames.HealthEndpoint), host: false);
                    if (present)
                    {
                        sawEndpoint = true;
                        Store(ref peer, primary, host: false);
                    }
                }
                else if (reader.ValueTextEquals(Names.Endpoint))
                {
                    reader.Read();
                    legacy = ReadPath(ref reader, doc, path.Then(HealthWireNames.Endpoint));
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (!sawEndpoint)
            {
                // Agents before health-endpoint (and very old ones) report only the flat form.
                Store(ref peer, legacy.Present ? legacy : Missing(doc, "no health endpoint address in the report"), host: false);
            }
        }
    }

    private static void Store(ref PeerEntry peer, in PathReading path, bool host)
    {
        var icmp = host ? ProbePath.HostIcmp : ProbePath.EndpointIcmp;
        peer.Probes[(int)icmp] = path.Icmp;
        peer.Probes[(int)icmp + 1] = path.Http;
        if (host)
        {
            peer.HostIp = path.Ip;
        }
        else
        {
            peer.EndpointIp = path.Ip;
        }
    }

    /// <summary><c>{primary-address, secondary-addresses[]}</c>; a missing primary is unreachable, as cilium-health counts it.</summary>
    private static (PathReading Primary, bool Present) ReadAddresses(ref Utf8JsonReader reader, HealthDocument doc, ref PeerEntry peer, in Loc path, bool host)
    {
        var what = host ? "host" : "health endpoint";
        if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, doc, JsonTokenType.StartObject, path))
        {
            return (Missing(doc, $"no {what} address in the report"), reader.TokenType != JsonTokenType.Null);
        }

        PathReading primary = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(Names.PrimaryAddress))
            {
                reader.Read();
                primary = ReadPath(ref reader, doc, path.Then(HealthWireNames.PrimaryAddress));
            }
            else if (reader.ValueTextEquals(Names.SecondaryAddresses))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, doc, JsonTokenType.StartArray, path.Then(HealthWireNames.SecondaryAddresses)))
                {
                    continue;
                }

                var i = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var secondary = ReadPath(ref reader, doc, path.Then(HealthWireNames.SecondaryAddresses, i++));
                    var failed = secondary.Icmp.State == ProbeState.Failed ? secondary.Icmp : secondary.Http.State == ProbeState.Failed ? secondary.Http : default;
                    ref var error = ref host ? ref peer.SecondaryHostError : ref peer.SecondaryEndpointError;
                    if (failed.State == ProbeState.Failed && !error.Present)
                    {
                        error = doc.Add($"{what} secondary address {doc.Text(secondary.Ip)}: {doc.Text(failed.Error)}");
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (primary.Present ? primary : Missing(doc, $"no {what} primary address in the report"), true);
    }

    private static PathReading Missing(HealthDocument doc, string why)
    {
        var error = doc.Add(why);
        var failed = new ProbeReading { State = ProbeState.Failed, Error = error };
        return new PathReading(TextRef.None, failed, failed, Present: false);
    }

    /// <summary>A <c>PathStatus</c>: <c>{ip, icmp, http}</c>.</summary>
    private static PathReading ReadPath(ref Utf8JsonReader reader, HealthDocument doc, Loc path)
    {
        if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, doc, JsonTokenType.StartObject, path))
        {
            return default;
        }

        var ip = TextRef.None;
        var icmp = new ProbeReading { State = ProbeState.NotProbed, Error = TextRef.None };
        var http = icmp;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(Names.Ip))
            {
                reader.Read();
                if (Expect(ref reader, doc, JsonTokenType.String, path.Then(HealthWireNames.Ip)))
                {
                    ip = doc.Add(ref reader);
                }
            }
            else if (reader.ValueTextEquals(Names.Icmp))
            {
                reader.Read();
                icmp = ReadProbe(ref reader, doc, path.Then(HealthWireNames.Icmp));
            }
            else if (reader.ValueTextEquals(Names.Http))
            {
                reader.Read();
                http = ReadProbe(ref reader, doc, path.Then(HealthWireNames.Http));
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new PathReading(ip, icmp, http, Present: true);
    }

    /// <summary>A <c>ConnectivityStatus</c>: absent = not probed yet, a status text = failed, else a latency in ns.</summary>
    private static ProbeReading ReadProbe(ref Utf8JsonReader reader, HealthDocument doc, Loc path)
    {
        var probe = new ProbeReading { State = ProbeState.NotProbed, Error = TextRef.None };
        if (reader.TokenType == JsonTokenType.Null || !Expect(ref reader, doc, JsonTokenType.StartObject, path))
        {
            return probe;
        }

        double? latency = null;
        string? invalid = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(Names.Latency))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var ns))
                {
                    latency = ns;
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    invalid = $"latency is {Describe(reader.TokenType)}, not a number of nanoseconds";
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals(Names.Status))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && !reader.ValueTextEquals(""u8))
                {
                    probe.Error = doc.Add(ref reader);
                }
                else if (reader.TokenType is not JsonTokenType.String and not JsonTokenType.Null)
                {
                    invalid = $"status is {Describe(reader.TokenType)}, not a text";
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals(Names.LastProbed))
            {
                reader.Read();
                probe.Probed = Time(ref reader, doc, path.Then(HealthWireNames.LastProbed));
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        probe.RttNs = latency ?? 0;
        if (probe.Error.Present)
        {
            probe.State = ProbeState.Failed;
            return probe;
        }

        invalid ??= latency switch
        {
            null => "no latency and no error reported",
            < 0 => $"negative latency {latency.Value.ToString(CultureInfo.InvariantCulture)} ns",
            > AbsurdNs => $"implausible latency {latency.Value.ToString("0.###e0", CultureInfo.InvariantCulture)} ns",
            _ => null,
        };
        probe.State = invalid is null ? ProbeState.Ok : ProbeState.Invalid;
        if (invalid is not null)
        {
            probe.Error = doc.Add(invalid);
        }

        return probe;
    }

    private static DateTimeOffset? Time(ref Utf8JsonReader reader, HealthDocument doc, Loc path)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var time))
        {
            return time;
        }

        if (reader.TokenType != JsonTokenType.Null)
        {
            doc.Issue($"{path}: expected an RFC 3339 time, found {Describe(reader.TokenType)}");
            reader.Skip();
        }

        return null;
    }

    /// <summary>True when the current token is the expected kind; otherwise records an issue and skips the value.</summary>
    private static bool Expect(ref Utf8JsonReader reader, HealthDocument doc, JsonTokenType expected, Loc path)
    {
        if (reader.TokenType == expected)
        {
            return true;
        }

        doc.Issue($"{path}: expected {Describe(expected)}, found {Describe(reader.TokenType)}");
        reader.Skip();
        return false;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>The model's names as UTF-8, compared without decoding the document's property names.</summary>
    private static class Names
    {
        public static readonly byte[] Local = Encoding.UTF8.GetBytes(HealthWireNames.Local);
        public static readonly byte[] Name = Encoding.UTF8.GetBytes(HealthWireNames.Name);
        public static readonly byte[] Nodes = Encoding.UTF8.GetBytes(HealthWireNames.Nodes);
        public static readonly byte[] Timestamp = Encoding.UTF8.GetBytes(HealthWireNames.Timestamp);
        public static readonly byte[] ProbeInterval = Encoding.UTF8.GetBytes(HealthWireNames.ProbeInterval);
        public static readonly byte[] Host = Encoding.UTF8.GetBytes(HealthWireNames.Host);
        public static readonly byte[] HealthEndpoint = Encoding.UTF8.GetBytes(HealthWireNames.HealthEndpoint);
        public static readonly byte[] Endpoint = Encoding.UTF8.GetBytes(HealthWireNames.Endpoint);
        public static readonly byte[] PrimaryAddress = Encoding.UTF8.GetBytes(HealthWireNames.PrimaryAddress);
        public static readonly byte[] SecondaryAddresses = Encoding.UTF8.GetBytes(HealthWireNames.SecondaryAddresses);
        public static readonly byte[] Ip = Encoding.UTF8.GetBytes(HealthWireNames.Ip);
        public static readonly byte[] Icmp = Encoding.UTF8.GetBytes(HealthWireNames.Icmp);
        public static readonly byte[] Http = Encoding.UTF8.GetBytes(HealthWireNames.Http);
        public static readonly byte[] Latency = Encoding.UTF8.GetBytes(HealthWireNames.Latency);
        public static readonly byte[] Status = Encoding.UTF8.GetBytes(HealthWireNames.Status);
        public static readonly byte[] LastProbed = Encoding.UTF8.GetBytes(HealthWireNames.LastProbed);
    }

    private readonly record struct PathReading(TextRef Ip, ProbeReading Icmp, ProbeReading Http, bool Present);

    /// <summary>
    /// A JSON path kept as up to four constant parts below the root (or <c>nodes[i]</c>) and rendered only when an issue
    /// names it: a value type, so a clean report builds no path objects or strings.
    /// </summary>
    private readonly struct Loc(string root, int node = -1)
    {
        private readonly string _root = root;
        private readonly int _node = node;
        private readonly int _depth;
        private readonly int _itemDepth = -1;
        private readonly int _item;
        private readonly string? _a;
        private readonly string? _b;
        private readonly string? _c;
        private readonly string? _d;

        private Loc(in Loc parent, string name, int index)
            : this(parent._root, parent._node)
        {
            (_a, _b, _c, _d, _item, _itemDepth) = (parent._a, parent._b, parent._c, parent._d, parent._item, parent._itemDepth);
            _depth = Math.Min(parent._depth + 1, 4);
            switch (_depth)
            {
                case 1: _a = name; break;
                case 2: _b = name; break;
                case 3: _c = name; break;
                default: _d = name; break;
            }

            if (index >= 0)
            {
                (_item, _itemDepth) = (index, _depth);
            }
        }

        public Loc Then(string name, int index = -1) => new(this, name, index);

        public override string ToString()
        {
            var text = new System.Text.StringBuilder(_root);
            if (_node >= 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"[{_node}]");
            }

            string?[] parts = [_a, _b, _c, _d];
            for (var i = 0; i < _depth; i++)
            {
                text.Append('.').Append(parts[i]);
                if (_itemDepth == i + 1)
                {
                    text.Append(CultureInfo.InvariantCulture, $"[{_item}]");
                }
            }

            return text.ToString();
        }
    }
}
