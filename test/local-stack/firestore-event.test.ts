import { google } from '@skunkteam/google-cloudevents-firestore';
import { describe, expect, it } from 'vitest';

import { decodeDocumentWrittenEvent, UndecodableEventError } from '../../functions/handlers/firestore-event.js';

const DocumentEventData = google.events.cloud.firestore.v1.DocumentEventData;
const NAME = 'projects/demo-p/databases/(default)/documents/submissions/s1';

/** protobufjs encodes an int64 from a decimal string exactly; its typings only admit number | Long. */
const int64 = (decimal: string): number => decimal as unknown as number;

describe('decodeDocumentWrittenEvent', () => {
  it('decodes a protobuf body (as functions-framework hands it) into plain values', () => {
    const body = DocumentEventData.encode({
      value: {
        name: NAME,
        fields: {
          unit: { stringValue: 'Quận Hoàn Kiếm' },
          rows: { integerValue: 42 },
          huge: { integerValue: int64('9007199254740993') },
          negative: { integerValue: int64('-12') },
          ratio: { doubleValue: 0.25 },
          nan: { doubleValue: Number.NaN },
          ok: { booleanValue: false },
          none: { nullValue: google.protobuf.NullValue.NULL_VALUE },
          at: { timestampValue: { seconds: 1_700_000_000, nanos: 123_456_789 } },
          raw: { bytesValue: Buffer.from('xin chào') },
          campaign: { referenceValue: 'projects/demo-p/databases/(default)/documents/campaigns/c-2020' },
          where: { geoPointValue: { latitude: 21.03, longitude: 105.85 } },
          list: { arrayValue: { values: [{ integerValue: 1 }, { stringValue: 'hai' }, { arrayValue: {} }] } },
          counts: { mapValue: { fields: { late: { integerValue: 3 }, inner: { mapValue: {} } } } },
        },
        createTime: { seconds: 1_700_000_000, nanos: 0 },
        updateTime: { seconds: 1_700_000_100, nanos: 500_000_000 },
      },
      oldValue: { name: NAME, fields: { rows: { integerValue: 41 } } },
      updateMask: { fieldPaths: ['rows', 'unit'] },
    }).finish();

    const decoded = decodeDocumentWrittenEvent(Buffer.from(body));

    expect(decoded.documentPath).toBe('submissions/s1');
    expect(decoded.fullName).toBe(NAME);
    expect(decoded.oldValue).toEqual({ rows: 41 });
    expect(decoded.updateMask).toEqual(['rows', 'unit']);
    expect(decoded.updateTime).toEqual(new Date(1_700_000_100_500));
    const value = decoded.value ?? {};
    expect(value).toEqual({
      unit: 'Quận Hoàn Kiếm',
      rows: 42,
      huge: '9007199254740993',
      negative: -12,
      ratio: 0.25,
      nan: Number.NaN,
      ok: false,
      none: null,
      at: new Date(1_700_000_000_123),
      raw: Buffer.from('xin chào'),
      campaign: 'campaigns/c-2020',
      where: { latitude: 21.03, longitude: 105.85 },
      list: [1, 'hai', []],
      counts: { late: 3, inner: {} },
    });
    expect(Buffer.isBuffer(value.raw)).toBe(true);
  });

  it('gives null value for a delete and null oldValue for a create', () => {
    const deleted = decodeDocumentWrittenEvent(
      DocumentEventData.encode({ oldValue: { name: NAME, fields: { a: { stringValue: 'x' } } } }).finish(),
    );
    expect(deleted).toMatchObject({
      documentPath: 'submissions/s1',
      value: null,
      oldValue: { a: 'x' },
      updateTime: null,
    });

    const created = decodeDocumentWrittenEvent(
      DocumentEventData.encode({ value: { name: NAME, fields: {} } }).finish(),
    );
    expect(created).toMatchObject({ value: {}, oldValue: null, updateMask: [] });
  });

  it('accepts a Uint8Array and a JSON-mode object', () => {
    const bytes = DocumentEventData.encode({ value: { name: NAME, fields: { n: { integerValue: 7 } } } }).finish();
    expect(decodeDocumentWrittenEvent(new Uint8Array(bytes)).value).toEqual({ n: 7 });

    const json = {
      value: {
        name: NAME,
        fields: {
          n: { integerValue: '7' },
          big: { integerValue: '-9223372036854775808' },
          at: { timestampValue: '2024-03-01T02:03:04.567891Z' },
          inf: { doubleValue: 'Infinity' },
          none: { nullValue: null },
          raw: { bytesValue: Buffer.from('hi').toString('base64') },
          nested: { mapValue: { fields: { list: { arrayValue: { values: [{ booleanValue: true }] } } } } },
        },
        updateTime: '2024-03-01T02:03:05Z',
      },
      oldValue: null,
    };
    const decoded = decodeDocumentWrittenEvent(json);
    expect(decoded.value).toEqual({
      n: 7,
      big: '-9223372036854775808',
      at: new Date('2024-03-01T02:03:04.567Z'),
      inf: Number.POSITIVE_INFINITY,
      none: null,
      raw: Buffer.from('hi'),
      nested: { list: [true] },
    });
    expect(decoded.oldValue).toBeNull();
    expect(decoded.updateTime).toEqual(new Date('2024-03-01T02:03:05Z'));
  });

  it('accepts an already decoded message and a JSON-serialised Buffer', () => {
    const bytes = DocumentEventData.encode({
      value: { name: NAME, fields: { s: { stringValue: 'đã nộp' } } },
    }).finish();
    expect(decodeDocumentWrittenEvent(DocumentEventData.decode(bytes)).value).toEqual({ s: 'đã nộp' });
    const roundTripped: unknown = JSON.parse(JSON.stringify(Buffer.from(bytes)));
    expect(decodeDocumentWrittenEvent(roundTripped).value).toEqual({ s: 'đã nộp' });
  });

  it('rejects data that names no document', () => {
    expect(() => decodeDocumentWrittenEvent(DocumentEventData.encode({}).finish())).toThrow(/names no document/);
    expect(() => decodeDocumentWrittenEvent(null)).toThrow(UndecodableEventError);
  });

  it('every way of failing is one error type, so a handler can acknowledge a poison event', () => {
    const poison: unknown[] = [
      Uint8Array.from([0x0f, 0xff, 0xff, 0xff, 0x07]), // protobuf: invalid wire type
      Buffer.from('{"value":'), // JSON text cut short, handed as bytes
      '{"value":', // JSON text cut short
      null,
      42,
      DocumentEventData.encode({}).finish(), // a valid message naming no document
      { value: { name: NAME, fields: { at: { timestampValue: 17 } } } }, // an unreadable timestamp
    ];
    for (const data of poison) {
      let thrown: unknown;
      try {
        decodeDocumentWrittenEvent(data);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, `for ${String(data)}`).toBeInstanceOf(UndecodableEventError);
    }
  });
});
