// WebApiClient drives a running gateway with the ASP.NET Web API client
// library (System.Net.Http.Formatting): one JSON request per stdin line,
// one JSON answer per stdout line. Arguments name the generated model
// assemblies as host=path. A request:
//
//   {"url": ..., "format": "json"|"xml"|"form", "type": "host|Request.Type",
//    "response": "host|Response.Type" or "", "value": Neutral}
//
// posts the value with PostAsJsonAsync<T>, PostAsXmlAsync<T> or
// FormUrlEncodedContent, then reads a success with ReadAsAsync<TResponse>
// and an error with ReadAsAsync<HttpError>. The answer:
//
//   {"status": 200, "contentType": "...", "body": "raw text",
//    "value": Neutral of the response, "error": {"Message": ...,
//    "ModelState": {"key": ["message", ...]}}}
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Xml;
using System.Xml.Schema;
using System.Xml.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Formatting = Newtonsoft.Json.Formatting;

namespace Legacygate.DotNet
{
    // HttpError is Web API 2's public error type (System.Web.Http.HttpError,
    // aspnet/AspNetWebStack src/System.Web.Http/HttpError.cs), which Mono's
    // pre-release Web API build lacks: a dictionary read by Json.NET as JSON
    // and, as an IXmlSerializable with the root <Error>, by
    // DataContractSerializer as XML, each child element becoming a key
    // (XmlConvert.DecodeName) whose value is the element's inner XML.
    [XmlRoot("Error")]
    public sealed class HttpError : Dictionary<string, object>, IXmlSerializable
    {
        public HttpError() : base(StringComparer.OrdinalIgnoreCase) { }

        XmlSchema IXmlSerializable.GetSchema() { return null; }

        void IXmlSerializable.ReadXml(XmlReader reader)
        {
            if (reader.IsEmptyElement) { reader.Read(); return; }
            reader.ReadStartElement();
            while (reader.NodeType != XmlNodeType.EndElement)
            {
                string key = XmlConvert.DecodeName(reader.LocalName);
                Add(key, reader.ReadInnerXml());
                reader.MoveToContent();
            }
            reader.ReadEndElement();
        }

        void IXmlSerializable.WriteXml(XmlWriter writer) { throw new NotSupportedException(); }
    }

    public static class WebApiClient
    {
        static readonly Dictionary<string, Assembly> hosts = new Dictionary<string, Assembly>();

        static Type Resolve(string name)
        {
            int bar = name.IndexOf('|');
            return hosts[name.Substring(0, bar)].GetType(name.Substring(bar + 1), true);
        }

        static MethodInfo Generic(Type owner, string name, int args, Type t)
        {
            return owner.GetMethods().First(m => m.Name == name && m.IsGenericMethod && m.GetParameters().Length == args
                && (args < 2 || m.GetParameters()[1].ParameterType == typeof(string))).MakeGenericMethod(t);
        }

        static object Result(object task)
        {
            return task.GetType().GetProperty("Result").GetValue(task, null);
        }

        public static int Main(string[] args)
        {
            foreach (string a in args)
            {
                int eq = a.IndexOf('=');
                hosts[a.Substring(0, eq)] = Assembly.LoadFrom(a.Substring(eq + 1));
            }
            var utf8 = new UTF8Encoding(false);
            var stdin = new StreamReader(Console.OpenStandardInput(), utf8);
            var stdout = new StreamWriter(Console.OpenStandardOutput(), utf8);
            var client = new HttpClient();
            string line;
            while ((line = stdin.ReadLine()) != null)
            {
                JObject res;
                try
                {
                    // The Json.NET inside this System.Net.Http.Formatting predates
                    // DateParseHandling; the transport holds no ISO dates.
                    res = Handle(client, JObject.Parse(line));
                }
                catch (Exception e)
                {
                    while ((e is TargetInvocationException || e is AggregateException) && e.InnerException != null) e = e.InnerException;
                    res = new JObject { { "failure", e.GetType().FullName + ": " + e.Message } };
                }
                stdout.Write(res.ToString(Formatting.None));
                stdout.Write('\n');
                stdout.Flush();
            }
            return 0;
        }

        static JObject Handle(HttpClient client, JObject req)
        {
            string url = (string)req["url"];
            Type t = Resolve((string)req["type"]);
            object value = Neutral.FromToken(t, req["value"]);
            object task;
            switch ((string)req["format"])
            {
                case "json":
                    task = Generic(typeof(HttpClientExtensions), "PostAsJsonAsync", 3, t).Invoke(null, new object[] { client, url, value });
                    break;
                case "xml":
                    task = Generic(typeof(HttpClientExtensions), "PostAsXmlAsync", 3, t).Invoke(null, new object[] { client, url, value });
                    break;
                default:
                    task = client.PostAsync(url, new FormUrlEncodedContent(FormPairs(req["value"] as JObject, t)));
                    break;
            }
            var resp = (HttpResponseMessage)Result(task);
            resp.Content.LoadIntoBufferAsync().Wait();
            var res = new JObject
            {
                { "status", (int)resp.StatusCode },
                { "contentType", resp.Content.Headers.ContentType == null ? "" : resp.Content.Headers.ContentType.ToString() },
                { "body", resp.Content.ReadAsStringAsync().Result },
            };
            string rt = (string)req["response"];
            if (resp.IsSuccessStatusCode)
            {
                if (!string.IsNullOrEmpty(rt))
                    res["value"] = Neutral.ToToken(Result(Generic(typeof(HttpContentExtensions), "ReadAsAsync", 1, Resolve(rt)).Invoke(null, new object[] { resp.Content })));
            }
            else
            {
                var err = resp.Content.ReadAsAsync<HttpError>().Result;
                res["error"] = Dump(err);
            }
            return res;
        }

        // FormPairs writes a form as a browser or jQuery would: scalars as
        // text, lists as repeated keys, nulls left out.
        static List<KeyValuePair<string, string>> FormPairs(JObject v, Type t)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (JProperty p in v.Properties())
            {
                if (p.Value.Type == JTokenType.Null) continue;
                Type pt = t.GetProperty(p.Name).PropertyType;
                if (p.Value is JArray)
                {
                    Type et = pt.GetGenericArguments()[0];
                    foreach (JToken it in (JArray)p.Value) pairs.Add(new KeyValuePair<string, string>(p.Name, Text(Neutral.FromToken(et, it))));
                }
                else
                    pairs.Add(new KeyValuePair<string, string>(p.Name, Text(Neutral.FromToken(pt, p.Value))));
            }
            return pairs;
        }

        static string Text(object o)
        {
            if (o is bool) return (bool)o ? "true" : "false";
            if (o is DateTime) return ((DateTime)o).ToString("o", CultureInfo.InvariantCulture);
            return Convert.ToString(o, CultureInfo.InvariantCulture);
        }

        // Dump renders an HttpError: strings stay strings, nested errors
        // (JSON objects, or XML inner markup) become objects, message lists
        // become arrays.
        static JToken Dump(object o)
        {
            if (o == null) return new JValue((object)null);
            if (o is JToken) return (JToken)o;
            if (o is IDictionary)
            {
                var obj = new JObject();
                foreach (DictionaryEntry e in (IDictionary)o) obj[(string)e.Key] = Dump(e.Value);
                return obj;
            }
            var s = o as string;
            if (s != null && s.StartsWith("<"))
            {
                // Inner XML of a nested error (ModelState): its child elements.
                var obj = new JObject();
                var settings = new XmlReaderSettings { ConformanceLevel = ConformanceLevel.Fragment };
                using (var r = XmlReader.Create(new StringReader(s), settings))
                {
                    r.MoveToContent();
                    while (!r.EOF)
                    {
                        if (r.NodeType == XmlNodeType.Element) obj[XmlConvert.DecodeName(r.LocalName)] = r.ReadElementContentAsString();
                        else r.Read();
                    }
                }
                return obj;
            }
            return new JValue(o.ToString());
        }
    }
}
