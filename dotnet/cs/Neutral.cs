// Neutral is the transport between the Go tests and the C# programs: a JSON
// tree typed by the receiving CLR type, so that no serializer under test
// carries the values across. Scalars: strings as JSON strings, booleans as
// JSON booleans, integers and decimals as their invariant literal, doubles
// as the decimal string of their IEEE bits (every NaN as "NaN"), Guids in the "D" form, DateTime
// as "ticks|Kind" (Local ticks are the local wall clock), DateTimeOffset as
// "utcTicks|offsetMinutes", TimeSpan as its ticks, byte[] as Base64, enums
// by name; a HashSet is an array in enumeration order. Lists are arrays; dictionaries
// are arrays of [key, value] pairs in enumeration order; objects are JSON
// objects of every public instance property (inherited ones included).
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using Newtonsoft.Json.Linq;

namespace Legacygate.DotNet
{
    public static class Neutral
    {
        static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        public static object FromToken(Type t, JToken tok)
        {
            if (tok == null || tok.Type == JTokenType.Null) return null;
            Type u = Nullable.GetUnderlyingType(t);
            if (u != null) t = u;
            if (t == typeof(string)) return (string)tok;
            if (t == typeof(bool)) return (bool)tok;
            if (t == typeof(int)) return int.Parse((string)tok, Inv);
            if (t == typeof(long)) return long.Parse((string)tok, Inv);
            if (t == typeof(byte)) return byte.Parse((string)tok, Inv);
            if (t == typeof(sbyte)) return sbyte.Parse((string)tok, Inv);
            if (t == typeof(short)) return short.Parse((string)tok, Inv);
            if (t == typeof(ushort)) return ushort.Parse((string)tok, Inv);
            if (t == typeof(uint)) return uint.Parse((string)tok, Inv);
            if (t == typeof(ulong)) return ulong.Parse((string)tok, Inv);
            if (t == typeof(TimeSpan)) return new TimeSpan(long.Parse((string)tok, Inv));
            if (t == typeof(byte[])) return Convert.FromBase64String((string)tok);
            if (t == typeof(decimal)) return decimal.Parse((string)tok, NumberStyles.Float, Inv);
            if (t == typeof(double)) return (string)tok == "NaN" ? double.NaN : BitConverter.Int64BitsToDouble(long.Parse((string)tok, Inv));
            if (t == typeof(Guid)) return Guid.Parse((string)tok);
            if (t == typeof(DateTime))
            {
                string[] p = ((string)tok).Split('|');
                return new DateTime(long.Parse(p[0], Inv), (DateTimeKind)Enum.Parse(typeof(DateTimeKind), p[1]));
            }
            if (t == typeof(DateTimeOffset))
            {
                string[] p = ((string)tok).Split('|');
                var off = TimeSpan.FromMinutes(int.Parse(p[1], Inv));
                return new DateTimeOffset(long.Parse(p[0], Inv) + off.Ticks, off);
            }
            if (t.IsEnum) return Enum.Parse(t, (string)tok);
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                var d = (IDictionary)Activator.CreateInstance(t);
                Type vt = t.GetGenericArguments()[1];
                foreach (JToken pair in (JArray)tok)
                    d[(string)pair[0]] = FromToken(vt, pair[1]);
                return d;
            }
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(HashSet<>))
            {
                object set = Activator.CreateInstance(t);
                Type et = t.GetGenericArguments()[0];
                MethodInfo add = t.GetMethod("Add");
                foreach (JToken it in (JArray)tok) add.Invoke(set, new[] { FromToken(et, it) });
                return set;
            }
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
            {
                var l = (IList)Activator.CreateInstance(t);
                Type et = t.GetGenericArguments()[0];
                foreach (JToken it in (JArray)tok) l.Add(FromToken(et, it));
                return l;
            }
            object o = Activator.CreateInstance(t);
            foreach (JProperty jp in ((JObject)tok).Properties())
            {
                PropertyInfo pi = t.GetProperty(jp.Name, BindingFlags.Public | BindingFlags.Instance);
                if (pi == null) throw new ArgumentException("no member " + jp.Name + " on " + t.FullName);
                pi.SetValue(o, FromToken(pi.PropertyType, jp.Value), null);
            }
            return o;
        }

        public static JToken ToToken(object o)
        {
            if (o == null) return new JValue((object)null);
            Type t = o.GetType();
            if (o is string) return new JValue((string)o);
            if (o is bool) return new JValue((bool)o);
            if (o is int || o is long || o is byte || o is sbyte || o is short || o is ushort || o is uint || o is ulong)
                return new JValue(((IFormattable)o).ToString(null, Inv));
            if (o is TimeSpan) return new JValue(((TimeSpan)o).Ticks.ToString(Inv));
            if (o is byte[]) return new JValue(Convert.ToBase64String((byte[])o));
            if (o is decimal) return new JValue(((decimal)o).ToString(Inv));
            if (o is double) return new JValue(double.IsNaN((double)o) ? "NaN" : BitConverter.DoubleToInt64Bits((double)o).ToString(Inv));
            if (o is Guid) return new JValue(((Guid)o).ToString());
            if (o is DateTime)
            {
                var d = (DateTime)o;
                return new JValue(d.Ticks.ToString(Inv) + "|" + d.Kind);
            }
            if (o is DateTimeOffset)
            {
                var d = (DateTimeOffset)o;
                return new JValue(d.UtcTicks.ToString(Inv) + "|" + ((int)d.Offset.TotalMinutes).ToString(Inv));
            }
            if (t.IsEnum) return new JValue(o.ToString());
            if (o is IDictionary)
            {
                var a = new JArray();
                foreach (DictionaryEntry e in (IDictionary)o) a.Add(new JArray(new JValue((string)e.Key), ToToken(e.Value)));
                return a;
            }
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(HashSet<>))
            {
                var a = new JArray();
                foreach (object it in (IEnumerable)o) a.Add(ToToken(it));
                return a;
            }
            if (o is IList)
            {
                var a = new JArray();
                foreach (object it in (IList)o) a.Add(ToToken(it));
                return a;
            }
            var obj = new JObject();
            foreach (PropertyInfo pi in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                obj[pi.Name] = ToToken(pi.GetValue(o, null));
            return obj;
        }
    }
}
