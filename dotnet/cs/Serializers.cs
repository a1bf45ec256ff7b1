// Serializers is the differential-test helper: one long-lived process that
// reads one JSON request per line on stdin and answers one JSON line on
// stdout, in order. Arguments name the generated type assemblies as
// host=path. Requests: {"op": OP, "type": "host|Full.Type.Name", ...}
//
//   xml-write  value (Neutral) -> data: what Web API's XmlMediaTypeFormatter
//              writes with DataContractSerializer (XmlWriter.Create, UTF-8
//              without BOM, no declaration, CheckCharacters=false, the
//              Windows line end)
//   xml-read   data -> value: DataContractSerializer.ReadObject over
//              XmlDictionaryReader.CreateTextReader with Web API's quotas
//   json-write value -> data: Json.NET with JsonMediaTypeFormatter's
//              default settings
//   json-read  data -> value: the same settings; every error Json.NET
//              reports is returned (Web API logs them into ModelState)
//
// Answers: {"ok": true, "value": ..., "data": base64} or
// {"ok": false, "error": "Exception.Type: message"}.
using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text;
using System.Xml;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;
using Formatting = Newtonsoft.Json.Formatting;

namespace Legacygate.DotNet
{
    public static class Serializers
    {
        static readonly Dictionary<string, Assembly> hosts = new Dictionary<string, Assembly>();
        static readonly Dictionary<string, Type> types = new Dictionary<string, Type>();
        static readonly Dictionary<Type, DataContractSerializer> dcs = new Dictionary<Type, DataContractSerializer>();
        static readonly UTF8Encoding utf8 = new UTF8Encoding(false, true);

        public static int Main(string[] args)
        {
            foreach (string a in args)
            {
                int eq = a.IndexOf('=');
                hosts[a.Substring(0, eq)] = Assembly.LoadFrom(a.Substring(eq + 1));
            }
            var stdin = new StreamReader(Console.OpenStandardInput(), utf8);
            var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
            string line;
            while ((line = stdin.ReadLine()) != null)
            {
                JObject res;
                try
                {
                    // Date-like strings stay strings: the transport types them.
                    var jr = new JsonTextReader(new StringReader(line)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
                    res = Handle(JObject.Load(jr));
                }
                catch (Exception e)
                {
                    res = Fail(e);
                }
                stdout.Write(res.ToString(Formatting.None));
                stdout.Write('\n');
                // Flush every answer: StreamReader.Peek would block on a pipe
                // whose last read happened to fill the buffer exactly.
                stdout.Flush();
            }
            stdout.Flush();
            return 0;
        }

        static JObject Fail(Exception e)
        {
            if (e is TargetInvocationException && e.InnerException != null) e = e.InnerException;
            return new JObject { { "ok", false }, { "error", e.GetType().FullName + ": " + e.Message } };
        }

        public static Type Resolve(string name)
        {
            Type t;
            if (types.TryGetValue(name, out t)) return t;
            int bar = name.IndexOf('|');
            t = hosts[name.Substring(0, bar)].GetType(name.Substring(bar + 1), true);
            types[name] = t;
            return t;
        }

        static DataContractSerializer Dcs(Type t)
        {
            DataContractSerializer s;
            if (!dcs.TryGetValue(t, out s)) dcs[t] = s = new DataContractSerializer(t);
            return s;
        }

        // WebApiJsonSettings are BaseJsonMediaTypeFormatter's defaults:
        // MissingMemberHandling.Ignore, TypeNameHandling.None and a fresh
        // contract resolver; everything else is Json.NET's default.
        public static JsonSerializerSettings WebApiJsonSettings()
        {
            return new JsonSerializerSettings
            {
                ContractResolver = new DefaultContractResolver(),
                MissingMemberHandling = MissingMemberHandling.Ignore,
                TypeNameHandling = TypeNameHandling.None,
            };
        }

        static JObject Handle(JObject req)
        {
            string op = (string)req["op"];
            Type t = Resolve((string)req["type"]);
            var ok = new JObject { { "ok", true } };
            switch (op)
            {
                case "xml-write":
                {
                    object v = Neutral.FromToken(t, req["value"]);
                    var ms = new MemoryStream();
                    // NewLineChars: .NET Framework's default is Environment.NewLine,
                    // "\r\n" on the Windows servers; Mono's would be "\n".
                    var ws = new XmlWriterSettings { OmitXmlDeclaration = true, CloseOutput = false, CheckCharacters = false, Encoding = utf8, NewLineChars = "\r\n" };
                    using (XmlWriter w = XmlWriter.Create(ms, ws)) Dcs(t).WriteObject(w, v);
                    ok["data"] = Convert.ToBase64String(ms.ToArray());
                    return ok;
                }
                case "xml-read":
                {
                    byte[] data = Convert.FromBase64String((string)req["data"]);
                    var q = new XmlDictionaryReaderQuotas
                    {
                        MaxArrayLength = int.MaxValue, MaxBytesPerRead = int.MaxValue, MaxDepth = 256,
                        MaxNameTableCharCount = int.MaxValue, MaxStringContentLength = int.MaxValue,
                    };
                    using (XmlDictionaryReader r = XmlDictionaryReader.CreateTextReader(new MemoryStream(data), utf8, q, null))
                        ok["value"] = Neutral.ToToken(Dcs(t).ReadObject(r));
                    return ok;
                }
                case "json-write":
                {
                    object v = Neutral.FromToken(t, req["value"]);
                    ok["data"] = Convert.ToBase64String(utf8.GetBytes(JsonConvert.SerializeObject(v, Formatting.None, WebApiJsonSettings())));
                    return ok;
                }
                case "json-read":
                {
                    string text = utf8.GetString(Convert.FromBase64String((string)req["data"]));
                    var errors = new JArray();
                    var s = WebApiJsonSettings();
                    s.Error = (sender, e) => { errors.Add(e.ErrorContext.Path + ": " + e.ErrorContext.Error.Message); e.ErrorContext.Handled = true; };
                    object v = JsonConvert.DeserializeObject(text, t, s);
                    ok["value"] = Neutral.ToToken(v);
                    if (errors.Count > 0) { ok["ok"] = false; ok["error"] = errors.ToString(Formatting.None); }
                    return ok;
                }
            }
            throw new ArgumentException("unknown op " + op);
        }
    }
}
