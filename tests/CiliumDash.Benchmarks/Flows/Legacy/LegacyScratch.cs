using CiliumDash.Protocols.Hubble;

namespace CiliumDash.Benchmarks.Flows.Legacy;

/// <summary>
/// One reusable <see cref="Flow"/> loaded from row after row, so Hubble's filter predicate runs over the window
/// without allocating per row. One per scan; never escapes it.
/// </summary>
internal sealed class LegacyScratch(bool withUuid)
{
    private readonly Flow _flow = new();
    private readonly Layer4[] _l4 =
    [
        new() { TCP = new TCP { Flags = new TCPFlags() } },
        new() { UDP = new UDP() },
        new() { SCTP = new SCTP() },
    ];

    public Flow Load(in LegacyRow row)
    {
        var f = _flow;
        var r = row.Rest;
        LegacyCodec.Fill(f, row, withUuid);
        f.L4 = LegacyCodec.DecodeL4(row, _l4);
        f.Verdict = r.Verdict;
        f.DropReasonDesc = r.DropReasonDesc;
        f.Type = r.Type;
        f.TrafficDirection = r.TrafficDirection;
        f.IsReply = r.IsReply;
        f.EventType = r.EventType;
        f.Interface = r.Interface;
        f.SourceService = r.SourceService;
        f.DestinationService = r.DestinationService;
        Copy(r.SourceNames, f.SourceNames);
        Copy(r.DestinationNames, f.DestinationNames);
        return f;
    }

    private static void Copy(Google.Protobuf.Collections.RepeatedField<string> from, Google.Protobuf.Collections.RepeatedField<string> to)
    {
        to.Clear();
        if (from.Count > 0)
        {
            to.Add(from);
        }
    }
}
