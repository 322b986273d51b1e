import numpy as np, sys
from scipy.optimize import least_squares
from gemm import *
tr=load_train(); va=load_val()
rng=np.random.default_rng(0)
sub=[]
for op in ['bmm','linear']:
    rs=[r for r in tr if r['op']==op]; idx=rng.choice(len(rs),10000,replace=False); sub+=[rs[i] for i in idx]
B,M,N,K,sp=arrays(sub); y=np.array([r['lat'] for r in sub]); isl=np.array([r['op']=='linear' for r in sub])
# p: e_c,a,cfix,l2bpc,e_bw,t0,der_a,bw0 ; plus t0_lin
names=['e_c','a','cfix','l2bpc','e_bw','t0_bmm','der_a','bw0','t0_lin']
p0=np.array([0.8,16,2000,64,0.8,0.03,0.5,10.,0.05])
lo=np.array([0.1,0,0,1,0.2,0,0.05,1,0]); hi=np.array([1.0,200,1e5,1000,1.0,0.2,1.0,30,0.2])
fix={'e_bw':0.8}
if len(sys.argv)>1:
    for kv in sys.argv[1:]: k,v=kv.split('='); fix[k]=float(v)
free=[i for i,n in enumerate(names) if n not in fix]
def full(q):
    p=p0.copy(); p[free]=q
    for k,v in fix.items(): p[names.index(k)]=v
    return p
def pred(p,B,M,N,K,sp,isl):
    t=gemm_time(B,M,N,K,sp,p[:8])-p[5]
    return t+np.where(isl,p[8],p[5])
def res(q): return np.log(pred(full(q),B,M,N,K,sp,isl)/y)
sol=least_squares(res,p0[free],bounds=(lo[free],hi[free]),loss='soft_l1',f_scale=0.1)
p=full(sol.x); print(dict(zip(names,np.round(p,4).tolist())))
for op in ['bmm','linear']:
  for name,rows in [('train',[r for r in tr if r['op']==op]),('val',[r for r in va if r['op']==op])]:
    B2,M2,N2,K2,sp2=arrays(rows); y2=np.array([r['lat'] for r in rows]); t=pred(p,B2,M2,N2,K2,sp2,np.array([op=='linear']*len(rows)))
    s=[]
    for d in list(TRAIN_GPUS)+UNSEEN:
        m=np.array([r['dev']==d for r in rows])
        if m.sum(): s.append(f'{d[-6:]}:{np.mean(np.abs(t[m]-y2[m])/y2[m])*100:5.1f}({np.median(t[m]/y2[m]):.2f})')
    print(op,name,' '.join(s))
