using System.Globalization;
using System.Text;
using System.Text.Json;
using CiliumDash.Protocols.Hubble;
using CiliumDash.Protocols.Hubble.ObserverApi;
using Google.Protobuf;

namespace CiliumDash.Flows;

/// <summary>
/// Flows in Hubble's JSON form (<c>hubble observe -o json</c>: one GetFlowsResponse per line, proto field names) and
/// as CSV. JSON and CSV escaping keep any HTML or script in labels, names and URLs inert text.
/// </summary>
public static class FlowJson
{
    public const string CsvHeader = "time,uuid,node,verdict,drop_reason,type,traffic_direction,source_namespace,source_pod,source_ip,source_port,source_identity,source_labels,destination_namespace,destination_pod,destination_ip,destination_port,destination_identity,destination_labels,protocol,summary";

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatEnumsAsIntegers(false));

    /// <summary>One JSONL line (without the newline), readable by <c>hubble observe --input-file</c> and our replay.</summary>
    public static string Line(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return Formatter.Format(new GetFlowsResponse { Flow = flow, NodeName = flow.NodeName, Time = flow.Time });
    }

    public static string CsvLine(FlowRecord f)
    {
        ArgumentNullException.ThrowIfNull(f);
        string[] cells =
        [
            f.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), f.Uuid, f.Node, f.Verdict, f.DropReason ?? "", f.Type, f.TrafficDirection ?? "",
            f.Source.Namespace, f.Source.Pod, f.Source.Ip, Port(f.SourcePort), Id(f.Source.Identity), string.Join(';', f.Source.Labels),
            f.Destination.Namespace, f.Destination.Pod, f.Destination.Ip, Port(f.DestinationPort), Id(f.Destination.Identity), string.Join(';', f.Destination.Labels),
            f.Protocol, f.Summary,
        ];
        return string.Join(',', cells.Select(Csv));
    }

    public static FlowDetail Detail(FlowRecord record, Flow flow)
    {
        var json = Line(flow);
        var fields = new List<KeyValuePair<string, string>>();
        using (var doc = JsonDocument.Parse(json))
        {
            if (doc.RootElement.TryGetProperty("flow", out var f))
            {
                Flatten(f, "", fields);
            }
        }

        return new FlowDetail(record, json, fields);
    }

    private static void Flatten(JsonElement e, string path, List<KeyValuePair<string, string>> into)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    Flatten(p.Value, path.Length == 0 ? p.Name : $"{path}.{p.Name}", into);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    Flatten(item, $"{path}[{i++}]", into);
                }

                break;
            case JsonValueKind.String:
                into.Add(new(path, e.GetString() ?? ""));
                break;
            default:
                into.Add(new(path, e.GetRawText()));
                break;
        }
    }

    private static string Port(uint? p) => p?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Id(uint id) => id == 0 ? "" : id.ToString(CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 quoting, and a leading ' for cells a spreadsheet would run as a formula.</summary>
    private static string Csv(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            cell = "'" + cell;
        }

        if (cell.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return cell;
        }

        var b = new StringBuilder(cell.Length + 8).Append('"');
        b.Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal));
        return b.Append('"').ToString();
    }
}
