import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** A dimension is a fixed size or a symbolic name such as 'batch'. */
export type Dim = number | string;
export type ElemType = 'float32' | 'int64';

const ELEM: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
};

/** Builds a small ONNX graph node by node and serialises it deterministically (no timestamps, fixed field order). */
export class OnnxGraphBuilder {
  private nodes: onnxProto.onnx.INodeProto[] = [];
  private initializers: onnxProto.onnx.ITensorProto[] = [];
  private inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private counter = 0;

  constructor(private readonly name: string) {}

  input(name: string, type: ElemType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: ElemType, dims: Dim[]): string {
    this.outputs.push(valueInfo(name, type, dims));
    return name;
  }

  floats(name: string, dims: number[], data: Float32Array): string {
    this.initializers.push({
      name,
      dims,
      dataType: ELEM.float32,
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return name;
  }

  ints(name: string, dims: number[], data: number[]): string {
    const buf = new BigInt64Array(data.map((v) => BigInt(v)));
    this.initializers.push({
      name,
      dims,
      dataType: ELEM.int64,
      rawData: new Uint8Array(buf.buffer),
    });
    return name;
  }

  /** Adds a node; returns its output name (or the given one). */
  op(
    opType: string,
    inputs: string[],
    attrs: Record<string, number | number[]> = {},
    output?: string,
  ): string {
    const out = output ?? `${opType.toLowerCase()}_${this.counter++}`;
    const attribute = Object.entries(attrs).map(([name, value]) =>
      Array.isArray(value)
        ? { name, type: onnx.AttributeProto.AttributeType.INTS, ints: value }
        : Number.isInteger(value)
          ? { name, type: onnx.AttributeProto.AttributeType.INT, i: value }
          : { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value },
    );
    this.nodes.push({ opType, input: inputs, output: [out], name: out, attribute });
    return out;
  }

  encode(opset = 18): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'clearance',
      producerVersion: '1',
      opsetImport: [{ domain: '', version: opset }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, type: ElemType, dims: Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}
